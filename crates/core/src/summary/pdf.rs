//! The summary as a PDF a committee would read: A4, DejaVu Serif embedded (subset), headings in
//! the outline, tables that repeat their header across pages, and "Page n of N" on every page.
//!
//! Layout is Tandem's own (greedy line breaking measured with rustybuzz, the shaper krilla draws
//! with); krilla writes the PDF.
//!
//! One file on purpose (over 600 lines): the layout is one pass over the summary in which blocks,
//! tables and page breaks share the cursor and the measuring; split, that state would be scattered.

use std::collections::HashMap;
use std::sync::Arc;

use krilla::Document;
use krilla::action::LinkAction;
use krilla::annotation::{Annotation, LinkAnnotation, Target};
use krilla::color::rgb;
use krilla::destination::XyzDestination;
use krilla::geom::{PathBuilder, Point, Rect};
use krilla::metadata::Metadata;
use krilla::num::NormalizedF32;
use krilla::outline::{Outline, OutlineNode};
use krilla::page::PageSettings;
use krilla::paint::{Fill, Stroke};
use krilla::text::{Font as KFont, TextDirection};

use super::{Summary, hours};
use crate::vocab::EvidenceKind;

static REGULAR: &[u8] = include_bytes!("../../fonts/DejaVuSerif.ttf");
static BOLD: &[u8] = include_bytes!("../../fonts/DejaVuSerif-Bold.ttf");
static ITALIC: &[u8] = include_bytes!("../../fonts/DejaVuSerif-Italic.ttf");

const PAGE_W: f32 = 595.0;
const PAGE_H: f32 = 842.0;
const LEFT: f32 = 62.0;
const RIGHT: f32 = PAGE_W - 62.0;
const TOP: f32 = 64.0;
const BOTTOM: f32 = PAGE_H - 70.0;
const BODY: f32 = 10.0;
const CELL_PAD: f32 = 4.5;

const INK: (u8, u8, u8) = (31, 35, 40);
const MUTED: (u8, u8, u8) = (89, 99, 110);
const TEAL: (u8, u8, u8) = (11, 61, 58);
const ACCENT: (u8, u8, u8) = (11, 110, 105);
const GREEN: (u8, u8, u8) = (26, 127, 55);
const RED: (u8, u8, u8) = (176, 42, 55);
const RULE: (u8, u8, u8) = (208, 215, 222);
const SHADE: (u8, u8, u8) = (238, 245, 244);

/// Why a PDF could not be written.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("Could not write the PDF: {0}")]
pub struct PdfError(String);

#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
enum Face {
    Regular,
    Bold,
    Italic,
}

/// Something to draw on a page, in points from the top left.
#[derive(Debug, Clone)]
enum Op {
    Text {
        x: f32,
        y: f32,
        face: Face,
        size: f32,
        color: (u8, u8, u8),
        text: String,
    },
    Line {
        x1: f32,
        y1: f32,
        x2: f32,
        y2: f32,
        width: f32,
        color: (u8, u8, u8),
    },
    Rect {
        x: f32,
        y: f32,
        w: f32,
        h: f32,
        color: (u8, u8, u8),
    },
    /// A clickable area that opens `url`.
    Link {
        x: f32,
        y: f32,
        w: f32,
        h: f32,
        url: String,
    },
}

/// Measures text with the faces the PDF embeds.
struct Measure {
    faces: HashMap<Face, (rustybuzz::Face<'static>, f32)>,
    cache: HashMap<(Face, String), f32>,
}

impl Measure {
    fn new() -> Result<Measure, PdfError> {
        let mut faces = HashMap::new();
        for (face, data) in [
            (Face::Regular, REGULAR),
            (Face::Bold, BOLD),
            (Face::Italic, ITALIC),
        ] {
            let f = rustybuzz::Face::from_slice(data, 0)
                .ok_or_else(|| PdfError("a bundled font does not parse".into()))?;
            let upem = f.units_per_em() as f32;
            faces.insert(face, (f, upem));
        }
        Ok(Measure {
            faces,
            cache: HashMap::new(),
        })
    }

    /// Width of `text` at `size` points.
    fn width(&mut self, face: Face, size: f32, text: &str) -> f32 {
        if let Some(w) = self.cache.get(&(face, text.to_string())) {
            return w * size;
        }
        let w = match self.faces.get(&face) {
            Some((f, upem)) => {
                let mut buffer = rustybuzz::UnicodeBuffer::new();
                buffer.push_str(text);
                let shaped = rustybuzz::shape(f, &[], buffer);
                let units: i32 = shaped.glyph_positions().iter().map(|p| p.x_advance).sum();
                units as f32 / upem
            }
            None => 0.5 * text.chars().count() as f32,
        };
        self.cache.insert((face, text.to_string()), w);
        w * size
    }

    /// Each cell of a table row wrapped to its column (`cols`: x and width).
    fn wrap_cells(&mut self, cells: &[Cell], cols: &[(f32, f32)], size: f32) -> Vec<Vec<String>> {
        cells
            .iter()
            .zip(cols)
            .map(|(c, (_, w))| self.wrap(c.face, size, &c.text, w - 2.0 * CELL_PAD))
            .collect()
    }

    /// Breaks `text` into lines no wider than `width`; words longer than a line are broken
    /// between characters (long links).
    fn wrap(&mut self, face: Face, size: f32, text: &str, width: f32) -> Vec<String> {
        let mut lines = Vec::new();
        for para in text.lines() {
            let mut line = String::new();
            for word in para.split_whitespace() {
                let candidate = if line.is_empty() {
                    word.to_string()
                } else {
                    format!("{line} {word}")
                };
                if self.width(face, size, &candidate) <= width {
                    line = candidate;
                    continue;
                }
                if !line.is_empty() {
                    lines.push(std::mem::take(&mut line));
                }
                if self.width(face, size, word) <= width {
                    line = word.to_string();
                } else {
                    for c in word.chars() {
                        let mut next = line.clone();
                        next.push(c);
                        if !line.is_empty() && self.width(face, size, &next) > width {
                            lines.push(std::mem::take(&mut line));
                            line.push(c);
                        } else {
                            line = next;
                        }
                    }
                }
            }
            if !line.is_empty() {
                lines.push(line);
            }
        }
        if lines.is_empty() {
            lines.push(String::new());
        }
        lines
    }
}

/// A table cell: text in a face and colour.
struct Cell {
    text: String,
    face: Face,
    color: (u8, u8, u8),
    /// Opens this address when clicked.
    url: Option<String>,
}

fn cell(text: impl Into<String>) -> Cell {
    styled(text, Face::Regular, INK)
}

fn styled(text: impl Into<String>, face: Face, color: (u8, u8, u8)) -> Cell {
    Cell {
        text: text.into(),
        face,
        color,
        url: None,
    }
}

struct Layout {
    m: Measure,
    pages: Vec<Vec<Op>>,
    y: f32,
    /// (title, page, y) of each heading, for the outline.
    marks: Vec<(String, usize, f32)>,
}

impl Layout {
    fn page(&mut self) -> &mut Vec<Op> {
        if self.pages.is_empty() {
            self.pages.push(Vec::new());
        }
        let last = self.pages.len() - 1;
        &mut self.pages[last]
    }

    fn new_page(&mut self) {
        self.pages.push(Vec::new());
        self.y = TOP;
    }

    /// Starts a new page unless `h` more points fit on this one.
    fn need(&mut self, h: f32) {
        if self.y + h > BOTTOM {
            self.new_page();
        }
    }

    fn text(&mut self, x: f32, y: f32, face: Face, size: f32, color: (u8, u8, u8), text: &str) {
        if text.is_empty() {
            return;
        }
        self.page().push(Op::Text {
            x,
            y,
            face,
            size,
            color,
            text: text.to_string(),
        });
    }

    fn rule(&mut self, x1: f32, y: f32, x2: f32, width: f32, color: (u8, u8, u8)) {
        self.page().push(Op::Line {
            x1,
            y1: y,
            x2,
            y2: y,
            width,
            color,
        });
    }

    /// A wrapped paragraph from `x` to the right margin.
    fn para(&mut self, x: f32, face: Face, size: f32, color: (u8, u8, u8), text: &str, after: f32) {
        let lh = size * 1.42;
        for line in self.m.wrap(face, size, text, RIGHT - x) {
            self.need(lh);
            self.y += lh;
            self.text(x, self.y - lh * 0.28, face, size, color, &line);
        }
        self.y += after;
    }

    fn heading(&mut self, text: &str) {
        // Room for the heading and the start of what follows it (a table's header and first row).
        self.need(130.0);
        self.y += 16.0;
        let page = self.pages.len().saturating_sub(1);
        self.marks.push((text.to_string(), page, self.y));
        self.y += 15.0;
        self.text(LEFT, self.y - 3.0, Face::Bold, 13.0, TEAL, text);
        self.y += 2.0;
        self.rule(LEFT, self.y, RIGHT, 1.4, ACCENT);
        self.y += 8.0;
    }

    fn subheading(&mut self, text: &str) {
        self.need(40.0);
        self.y += 6.0;
        self.para(LEFT, Face::Bold, 10.8, INK, text, 2.0);
    }

    fn bullet(&mut self, text: &str, face: Face) {
        self.item("•", text, face);
    }

    /// A list item with its marker ("•", "1.") in the margin of the text.
    fn item(&mut self, marker: &str, text: &str, face: Face) {
        let lh = BODY * 1.42;
        let lines = self.m.wrap(face, BODY, text, RIGHT - LEFT - 14.0);
        for (i, line) in lines.iter().enumerate() {
            self.need(lh);
            self.y += lh;
            if i == 0 {
                self.text(
                    LEFT + 2.0,
                    self.y - lh * 0.28,
                    Face::Regular,
                    BODY,
                    ACCENT,
                    marker,
                );
            }
            self.text(LEFT + 14.0, self.y - lh * 0.28, face, BODY, INK, line);
        }
        self.y += 2.0;
    }

    fn quote(&mut self, text: &str) {
        let lh = BODY * 1.42;
        let x = LEFT + 14.0;
        for line in self.m.wrap(Face::Italic, BODY, text, RIGHT - x) {
            self.need(lh);
            let top = self.y;
            self.y += lh;
            self.page().push(Op::Rect {
                x: LEFT + 2.0,
                y: top,
                w: 2.2,
                h: lh,
                color: (182, 212, 209),
            });
            self.text(x, self.y - lh * 0.28, Face::Italic, BODY, MUTED, &line);
        }
        self.y += 8.0;
    }

    /// A table with `widths` (fractions of the text width); the header repeats on each page and
    /// a row taller than the rest of a page continues on the next.
    fn table(&mut self, widths: &[f32], header: Option<&[&str]>, rows: Vec<Vec<Cell>>, size: f32) {
        let total = RIGHT - LEFT;
        let cols: Vec<(f32, f32)> = {
            let mut x = LEFT;
            widths
                .iter()
                .map(|w| {
                    let c = (x, w * total);
                    x += w * total;
                    c
                })
                .collect()
        };
        let lh = size * 1.38;
        let header_cells: Option<Vec<Cell>> =
            header.map(|h| h.iter().map(|t| styled(*t, Face::Bold, TEAL)).collect());
        let draw_header = |l: &mut Layout| {
            if let Some(h) = &header_cells {
                let wrapped = l.m.wrap_cells(h, &cols, size);
                let n = wrapped.iter().map(Vec::len).max().unwrap_or(1);
                let hgt = n as f32 * lh + 2.0 * CELL_PAD;
                let y = l.y;
                l.page().push(Op::Rect {
                    x: LEFT,
                    y,
                    w: total,
                    h: hgt,
                    color: SHADE,
                });
                l.row_lines(&cols, h, &wrapped, 0, n, lh, size);
            }
        };
        // Keep the header with at least the first row (up to three of its lines).
        let first = rows.first().map_or(1, |row| {
            let wrapped = self.m.wrap_cells(row, &cols, size);
            wrapped.iter().map(Vec::len).max().unwrap_or(1).min(3)
        });
        let header_lines = if header_cells.is_some() { 2.0 } else { 0.0 };
        self.need((first as f32 + header_lines) * lh + 4.0 * CELL_PAD);
        draw_header(self);
        for row in rows {
            let wrapped = self.m.wrap_cells(&row, &cols, size);
            let n = wrapped.iter().map(Vec::len).max().unwrap_or(1);
            let mut start = 0;
            while start < n {
                let room = ((BOTTOM - self.y - 2.0 * CELL_PAD) / lh).floor().max(0.0) as usize;
                if room == 0 || (start == 0 && room < n && room < 3) {
                    self.new_page();
                    draw_header(self);
                    continue;
                }
                let end = n.min(start + room);
                self.row_lines(&cols, &row, &wrapped, start, end, lh, size);
                start = end;
                if start < n {
                    self.new_page();
                    draw_header(self);
                }
            }
        }
        self.y += 10.0;
    }

    /// Draws lines `start..end` of one row's cells, with its rules, and moves down.
    #[allow(clippy::too_many_arguments)]
    fn row_lines(
        &mut self,
        cols: &[(f32, f32)],
        cells: &[Cell],
        wrapped: &[Vec<String>],
        start: usize,
        end: usize,
        lh: f32,
        size: f32,
    ) {
        let top = self.y;
        let h = (end - start) as f32 * lh + 2.0 * CELL_PAD;
        for ((c, lines), (x, _)) in cells.iter().zip(wrapped).zip(cols) {
            for (i, line) in lines.iter().enumerate().take(end).skip(start) {
                let baseline = top + CELL_PAD + (i - start + 1) as f32 * lh - lh * 0.27;
                self.text(x + CELL_PAD, baseline, c.face, size, c.color, line);
                if let Some(url) = &c.url {
                    let w = self.m.width(c.face, size, line);
                    self.page().push(Op::Link {
                        x: x + CELL_PAD,
                        y: baseline - size,
                        w,
                        h: size * 1.3,
                        url: url.clone(),
                    });
                }
            }
        }
        self.rule(LEFT, top, RIGHT, 0.6, RULE);
        self.rule(LEFT, top + h, RIGHT, 0.6, RULE);
        for (x, _) in cols.iter().skip(1) {
            self.page().push(Op::Line {
                x1: *x,
                y1: top,
                x2: *x,
                y2: top + h,
                width: 0.6,
                color: RULE,
            });
        }
        for x in [LEFT, RIGHT] {
            self.page().push(Op::Line {
                x1: x,
                y1: top,
                x2: x,
                y2: top + h,
                width: 0.6,
                color: RULE,
            });
        }
        self.y = top + h;
    }
}

/// Renders the summary as a PDF.
pub fn pdf(s: &Summary) -> Result<Vec<u8>, PdfError> {
    let mut l = Layout {
        m: Measure::new()?,
        pages: vec![Vec::new()],
        y: TOP,
        marks: Vec::new(),
    };
    let (heading, intro) = super::markdown::title_of(s, false);

    // Title block.
    l.text(
        LEFT,
        l.y + 2.0,
        Face::Bold,
        8.5,
        ACCENT,
        &s.template_name.to_uppercase(),
    );
    l.y += 12.0;
    l.para(LEFT, Face::Bold, 19.0, TEAL, &heading, 6.0);
    l.para(LEFT, Face::Regular, BODY + 0.5, INK, &intro, 4.0);
    l.para(LEFT, Face::Italic, BODY - 0.5, MUTED, &s.about, 10.0);

    let mut facts: Vec<(&str, String)> = vec![
        ("Mentee", s.mentee()),
        ("Mentor", super::join_names(&s.mentors, "—")),
        ("Programme", s.programme.clone()),
    ];
    if !s.target_role.trim().is_empty() {
        facts.push(("Working towards", s.target_role.trim().to_string()));
    }
    facts.push(("Period", format!("{} to {}", s.from, s.to)));
    facts.push((
        "In the programme",
        format!("since {} ({} months)", s.started, s.months_in_programme),
    ));
    facts.push((
        "Sessions",
        format!("{} sessions, {} hours", s.sessions, hours(s.minutes)),
    ));
    if !s.methods.is_empty() {
        let methods: Vec<String> = s
            .methods
            .iter()
            .map(|(m, n)| format!("{m} ({n})"))
            .collect();
        facts.push(("Methods", methods.join(", ")));
    }
    let rows = facts
        .into_iter()
        .map(|(k, v)| vec![styled(k, Face::Bold, TEAL), cell(v)])
        .collect();
    l.table(&[0.26, 0.74], None, rows, BODY);

    let (met, total) = s.score();
    l.heading(&format!("The bar: {met} of {total} met"));
    let rows = s
        .bar
        .iter()
        .map(|r| {
            let (status, color) = if r.excluded {
                ("Does not apply", MUTED)
            } else if r.met {
                ("Met", GREEN)
            } else {
                ("Not yet", RED)
            };
            vec![
                styled(
                    r.requirement.clone(),
                    Face::Regular,
                    if r.excluded { MUTED } else { INK },
                ),
                styled(
                    r.evidence.clone(),
                    Face::Regular,
                    if r.excluded { MUTED } else { INK },
                ),
                styled(status, Face::Bold, color),
            ]
        })
        .collect();
    l.table(
        &[0.42, 0.43, 0.15],
        Some(&["Requirement", "Evidence", "Met"]),
        rows,
        BODY - 0.5,
    );

    if !s.goals_achieved.is_empty() {
        l.heading("Goals achieved");
        for g in &s.goals_achieved {
            l.subheading(&g.title);
            let mut about = Vec::new();
            if !g.measurable.is_empty() {
                about.push(format!(
                    "Measured by: {}",
                    super::markdown::sentence(&g.measurable)
                ));
            }
            if let Some(due) = &g.due {
                about.push(format!("Due {due}."));
            }
            if !about.is_empty() {
                l.para(LEFT, Face::Italic, BODY, MUTED, &about.join(" "), 3.0);
            }
            if g.evaluations.is_empty() {
                l.para(
                    LEFT,
                    Face::Regular,
                    BODY,
                    INK,
                    "No evaluation in the period.",
                    3.0,
                );
            }
            for e in &g.evaluations {
                let note = if e.note.is_empty() {
                    String::new()
                } else {
                    format!(": {}", e.note)
                };
                l.bullet(
                    &format!("{} — {}% ({}){note}", e.date, e.progress, e.by),
                    Face::Regular,
                );
            }
        }
    }
    if !s.goals_in_progress.is_empty() {
        l.heading("Goals in progress");
        for g in &s.goals_in_progress {
            let progress = g
                .progress
                .map_or_else(|| "not evaluated yet".into(), |p| format!("{p}%"));
            l.bullet(&format!("{}: {progress}", g.title), Face::Regular);
        }
    }
    if !s.feedback.is_empty() {
        l.heading("Feedback");
        for f in &s.feedback {
            let rating = f
                .rating
                .map(|r| format!(", rated {r}/5"))
                .unwrap_or_default();
            l.need(40.0);
            l.para(
                LEFT,
                Face::Bold,
                BODY,
                INK,
                &format!("{} · {} from {}{rating}", f.date, f.kind_label, f.from),
                1.0,
            );
            l.quote(&f.text);
        }
    }
    if !s.reviews.is_empty() {
        l.heading("Readiness reviews");
        for r in &s.reviews {
            let verdict = if r.ready { "ready" } else { "not ready yet" };
            l.need(40.0);
            l.para(
                LEFT,
                Face::Bold,
                BODY,
                INK,
                &format!("{} · {} found the mentee {verdict}", r.date, r.by),
                1.0,
            );
            if !r.rationale.is_empty() {
                l.quote(&r.rationale);
            }
        }
    }
    if !s.evidence.is_empty() {
        l.heading("Evidence log");
        let rows = s
            .evidence
            .iter()
            .map(|e| {
                let mut kind = EvidenceKind::parse(&e.kind)
                    .map_or_else(|| e.kind.clone(), |k| k.label().to_string());
                if e.primary_reviewer {
                    kind.push_str(" (primary reviewer)");
                }
                let url = e.link.trim();
                let web = crate::validate::web_link(url).is_some();
                vec![
                    cell(e.date.clone()),
                    cell(kind),
                    Cell {
                        text: super::markdown::link_text(url),
                        face: Face::Regular,
                        color: ACCENT,
                        url: web.then(|| url.to_string()),
                    },
                    cell(e.note.clone()),
                ]
            })
            .collect();
        l.table(
            &[0.13, 0.2, 0.3, 0.37],
            Some(&["Date", "Kind", "Link", "Note"]),
            rows,
            BODY - 1.0,
        );
    }
    if !s.next_steps.is_empty() {
        l.heading("Next steps");
        for (i, step) in s.next_steps.iter().enumerate() {
            l.item(&format!("{}.", i + 1), step, Face::Regular);
        }
    }
    l.y += 14.0;
    l.need(30.0);
    l.rule(LEFT, l.y, RIGHT, 0.6, RULE);
    l.y += 4.0;
    l.para(
        LEFT,
        Face::Italic,
        BODY - 1.5,
        MUTED,
        &format!(
            "Made with Tandem on {} from the pair's shared journal. Session notes, private notes \
             and feedback not marked shareable are never included.",
            s.generated
        ),
        0.0,
    );

    draw(&mut l, s, &heading)
}

fn color(c: (u8, u8, u8)) -> rgb::Color {
    rgb::Color::new(c.0, c.1, c.2)
}

fn draw(l: &mut Layout, s: &Summary, heading: &str) -> Result<Vec<u8>, PdfError> {
    let font = |data: &'static [u8]| {
        KFont::new(Arc::new(data.to_vec()).into(), 0)
            .ok_or_else(|| PdfError("a bundled font does not load".into()))
    };
    let fonts: HashMap<Face, KFont> = [
        (Face::Regular, font(REGULAR)?),
        (Face::Bold, font(BOLD)?),
        (Face::Italic, font(ITALIC)?),
    ]
    .into_iter()
    .collect();
    let mut doc = Document::new();
    let count = l.pages.len();
    let settings = PageSettings::from_wh(PAGE_W, PAGE_H)
        .ok_or_else(|| PdfError("the page size is invalid".into()))?;
    let footer_left = format!("{} · {}", s.pair_title, s.template_name);
    let pages = std::mem::take(&mut l.pages);
    for (n, ops) in pages.iter().enumerate() {
        let mut page = doc.start_page_with(settings.clone());
        let mut surface = page.surface();
        let mut footer = ops.clone();
        let label = format!("Page {} of {count}", n + 1);
        footer.push(Op::Line {
            x1: LEFT,
            y1: BOTTOM + 22.0,
            x2: RIGHT,
            y2: BOTTOM + 22.0,
            width: 0.5,
            color: RULE,
        });
        footer.push(Op::Text {
            x: LEFT,
            y: BOTTOM + 36.0,
            face: Face::Regular,
            size: 8.0,
            color: MUTED,
            text: footer_left.clone(),
        });
        let w = l.m.width(Face::Regular, 8.0, &label);
        footer.push(Op::Text {
            x: RIGHT - w,
            y: BOTTOM + 36.0,
            face: Face::Regular,
            size: 8.0,
            color: MUTED,
            text: label,
        });
        let mut links = Vec::new();
        for op in &footer {
            match op {
                Op::Link { x, y, w, h, url } => {
                    if let Some(rect) = Rect::from_xywh(*x, *y, *w, *h) {
                        links.push(Annotation::new_link(
                            LinkAnnotation::new(
                                rect,
                                Target::Action(LinkAction::new(url.clone()).into()),
                            ),
                            Some(url.clone()),
                        ));
                    }
                }
                Op::Text {
                    x,
                    y,
                    face,
                    size,
                    color: c,
                    text,
                } => {
                    let Some(f) = fonts.get(face) else { continue };
                    surface.set_fill(Some(Fill {
                        paint: color(*c).into(),
                        opacity: NormalizedF32::ONE,
                        rule: Default::default(),
                    }));
                    surface.draw_text(
                        Point::from_xy(*x, *y),
                        f.clone(),
                        *size,
                        text,
                        false,
                        TextDirection::LeftToRight,
                    );
                }
                Op::Line {
                    x1,
                    y1,
                    x2,
                    y2,
                    width,
                    color: c,
                } => {
                    let mut pb = PathBuilder::new();
                    pb.move_to(*x1, *y1);
                    pb.line_to(*x2, *y2);
                    if let Some(path) = pb.finish() {
                        surface.set_fill(None);
                        surface.set_stroke(Some(Stroke {
                            paint: color(*c).into(),
                            width: *width,
                            ..Default::default()
                        }));
                        surface.draw_path(&path);
                        surface.set_stroke(None);
                    }
                }
                Op::Rect {
                    x,
                    y,
                    w,
                    h,
                    color: c,
                } => {
                    let mut pb = PathBuilder::new();
                    if let Some(rect) = Rect::from_xywh(*x, *y, *w, *h) {
                        pb.push_rect(rect);
                    }
                    if let Some(path) = pb.finish() {
                        surface.set_stroke(None);
                        surface.set_fill(Some(Fill {
                            paint: color(*c).into(),
                            opacity: NormalizedF32::ONE,
                            rule: Default::default(),
                        }));
                        surface.draw_path(&path);
                    }
                }
            }
        }
        surface.finish();
        for link in links {
            page.add_annotation(link);
        }
        page.finish();
    }
    let mut outline = Outline::new();
    for (title, page, y) in &l.marks {
        outline.push_child(OutlineNode::new(
            title.clone(),
            XyzDestination::new(*page, Point::from_xy(LEFT, *y)),
        ));
    }
    doc.set_outline(outline);
    doc.set_metadata(
        Metadata::new()
            .title(heading.to_string())
            .authors(s.mentors.clone())
            .creator("Tandem".into())
            .language("en".into()),
    );
    doc.finish().map_err(|e| PdfError(format!("{e:?}")))
}
