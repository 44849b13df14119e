//! Progress summaries end to end: `tandem export` in all three formats (the PDF rendered to PNG
//! by poppler and read back as text), nothing private in any of them, and the summary screen in
//! the window, whose preview is exactly what it saves.

use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{Context, Result, bail};
use tandem_tests::{Driver, eventually, tandem, tandem_ok};

use crate::journal::{WAIT, alone, click, css, shot, text_with, type_into};

const SESSION_NOTE: &str = "SESSIONNOTEMARKER";
const PRIVATE_NOTE: &str = "PRIVATENOTEMARKER";
const UNSHARED: &str = "UNSHAREDFEEDBACKMARKER";
const SHARED: &str = "Alex explains every review comment";

/// A reviewer-track pair with a record long enough for a multi-page PDF, and something private in
/// every place a leak could come from.
fn pair_with_a_record(home: &Path) -> String {
    let pair = tandem_ok(
        home,
        &[
            "pair",
            "new",
            "--title",
            "Alex → SIG Docs reviewer",
            "--me",
            "Sam",
            "--partner",
            "Alex",
            "--programme",
            "kubernetes",
            "--target-role",
            "SIG Docs reviewer",
        ],
    )
    .trim()
    .to_string();
    let p = pair.as_str();
    for (i, date) in ["2026-06-02", "2026-07-07", "2026-08-04", "2026-09-01"]
        .iter()
        .enumerate()
    {
        let notes = format!("{SESSION_NOTE} {i}");
        tandem_ok(
            home,
            &[
                "session",
                "add",
                p,
                "--date",
                date,
                "--minutes",
                "45",
                "--methods",
                "review,pairing",
                "--notes",
                &notes,
            ],
        );
    }
    tandem_ok(home, &["private", p, "--set", PRIVATE_NOTE]);
    tandem_ok(
        home,
        &[
            "feedback",
            "add",
            p,
            "--kind",
            "pulse",
            "--text",
            UNSHARED,
            "--date",
            "2026-08-10",
        ],
    );
    tandem_ok(
        home,
        &[
            "feedback",
            "add",
            p,
            "--kind",
            "closing",
            "--text",
            SHARED,
            "--rating",
            "5",
            "--shareable",
            "--date",
            "2026-09-02",
        ],
    );
    for i in 0..36 {
        let link = format!("https://github.com/kubernetes/website/pull/{}", 5000 + i);
        let date = format!("2026-{:02}-{:02}", 6 + i / 12, 1 + i % 12 * 2);
        let kind = if i % 4 == 3 {
            "pr-authored"
        } else {
            "pr-reviewed"
        };
        let note = format!("Localisation review {i}: checked links, front matter and the glossary");
        let mut args = vec![
            "evidence", p, "--kind", kind, "--link", &link, "--date", &date, "--note", &note,
        ];
        if i % 3 == 0 {
            args.push("--primary");
        }
        tandem_ok(home, &args);
    }
    pair
}

fn tool(name: &str) -> Result<PathBuf> {
    let found = std::env::var_os("PATH")
        .iter()
        .flat_map(std::env::split_paths)
        .map(|d| d.join(name))
        .find(|p| p.is_file());
    found.with_context(|| {
        format!("{name} is not installed (poppler-utils); `cargo xtask test` installs it")
    })
}

fn run(tool_path: &Path, args: &[&std::ffi::OsStr]) -> Result<String> {
    let out = Command::new(tool_path).args(args).output()?;
    if !out.status.success() {
        bail!(
            "{} failed: {}",
            tool_path.display(),
            String::from_utf8_lossy(&out.stderr)
        );
    }
    Ok(String::from_utf8_lossy(&out.stdout).into_owned())
}

/// The PDF's text, as poppler reads it.
fn pdf_text(pdf: &Path) -> Result<String> {
    run(
        &tool("pdftotext")?,
        &["-layout".as_ref(), pdf.as_os_str(), "-".as_ref()],
    )
}

#[test]
fn export_writes_markdown_html_and_a_pdf_a_committee_can_read() -> Result<()> {
    let dir = tempfile::tempdir()?;
    let home = dir.path().join("home");
    let pair = pair_with_a_record(&home);
    let p = pair.as_str();
    tandem_ok(
        home.as_path(),
        &["bar", p, "--line", "member-months", "--since", "2026-01-15"],
    );
    tandem_ok(
        home.as_path(),
        &[
            "bar",
            p,
            "--line",
            "sponsor",
            "--met",
            "--evidence",
            "@jdoe, SIG Docs approver",
        ],
    );

    let out = |name: &str| dir.path().join(name);
    for format in ["md", "html", "pdf"] {
        let file = out(&format!("summary.{format}"));
        tandem_ok(
            &home,
            &[
                "export",
                p,
                "--template",
                "kubernetes-reviewer",
                "--format",
                format,
                "--to",
                "2026-11-20",
                "--out",
                file.to_str().context("path")?,
            ],
        );
    }
    let md = std::fs::read_to_string(out("summary.md"))?;
    // An export never replaces a file: the second one to the same name is refused, and the file
    // stays as it was.
    let again = tandem(
        &home,
        &[
            "export",
            p,
            "--format",
            "md",
            "--out",
            out("summary.md").to_str().context("path")?,
        ],
    );
    assert!(!again.status.success());
    assert!(
        String::from_utf8_lossy(&again.stderr).contains("already exists"),
        "{again:?}"
    );
    assert_eq!(std::fs::read_to_string(out("summary.md"))?, md);
    let html = std::fs::read_to_string(out("summary.html"))?;
    let text = pdf_text(&out("summary.pdf"))?;

    // The same evidence in every format.
    assert!(md.starts_with("# Add Alex as reviewer"), "{md}");
    assert!(
        md.contains("| Sponsored by a subproject approver | @jdoe, SIG Docs approver | ✅ Met |")
    );
    assert!(
        md.contains("[kubernetes/website#5000](<https://github.com/kubernetes/website/pull/5000>)")
    );
    assert!(html.contains("<td>@jdoe, SIG Docs approver</td>"), "{html}");
    assert!(
        !html.contains("<script") && !html.contains("src=\"http"),
        "not self-contained"
    );
    for expected in [
        "Add Alex as reviewer",
        "The bar: 4 of 4 met",
        "@jdoe, SIG Docs approver",
        "kubernetes/website#5035",
        SHARED,
    ] {
        assert!(md.contains(expected), "Markdown lacks {expected}");
        assert!(html.contains(expected), "HTML lacks {expected}");
        assert!(text.contains(expected), "the PDF lacks {expected}:\n{text}");
    }
    // Nothing private or unshared in any of them.
    for (name, body) in [("md", &md), ("html", &html), ("pdf", &text)] {
        for secret in [SESSION_NOTE, PRIVATE_NOTE, UNSHARED] {
            assert!(!body.contains(secret), "the {name} export leaks {secret}");
        }
    }

    // The PDF: pages numbered "Page n of N", each rendered to an image by poppler.
    let info = run(&tool("pdfinfo")?, &[out("summary.pdf").as_os_str()])?;
    let pages: usize = info
        .lines()
        .find_map(|l| l.strip_prefix("Pages:"))
        .and_then(|n| n.trim().parse().ok())
        .with_context(|| format!("no page count in {info}"))?;
    assert!(pages >= 2, "36 evidence entries fit on {pages} page(s)?");
    for n in 1..=pages {
        assert!(
            text.contains(&format!("Page {n} of {pages}")),
            "page {n} is not numbered"
        );
    }
    assert!(
        info.contains("Title:") && info.contains("Add Alex as reviewer"),
        "{info}"
    );
    let fonts = run(&tool("pdffonts")?, &[out("summary.pdf").as_os_str()])?;
    assert!(
        fonts.contains("DejaVuSerif") && fonts.lines().skip(2).all(|l| l.contains(" yes ")),
        "fonts not embedded:\n{fonts}"
    );
    let shots = std::env::var_os("TANDEM_SCREENSHOTS")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../target/screenshots"));
    std::fs::create_dir_all(&shots)?;
    let prefix = shots.join("summary-pdf");
    run(
        &tool("pdftoppm")?,
        &[
            "-r".as_ref(),
            "60".as_ref(),
            "-png".as_ref(),
            out("summary.pdf").as_os_str(),
            prefix.as_os_str(),
        ],
    )?;
    let pngs: Vec<PathBuf> = std::fs::read_dir(&shots)?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with("summary-pdf-") && n.ends_with(".png"))
        })
        .collect();
    assert!(pngs.len() >= pages, "{} PNGs for {pages} pages", pngs.len());
    for png in &pngs {
        assert!(
            std::fs::metadata(png)?.len() > 5_000,
            "{} is blank",
            png.display()
        );
    }

    // Bad requests are refused with the reason, and write nothing.
    for (args, reason) in [
        (vec!["export", p, "--format", "docx"], "md, html or pdf"),
        (
            vec!["export", p, "--template", "kubernetes-janitor"],
            "no template",
        ),
        (
            vec!["export", p, "--from", "2026-09-01", "--to", "2026-08-01"],
            "must come first",
        ),
        (vec!["export", p, "--to", "next week"], "YYYY-MM-DD"),
        (
            vec!["bar", p, "--line", "primary-reviews", "--met"],
            "cannot be ticked by hand",
        ),
    ] {
        let o = tandem(&home, &args);
        let err = String::from_utf8_lossy(&o.stderr);
        assert!(
            !o.status.success() && err.contains(reason),
            "{args:?}: {err}"
        );
    }
    Ok(())
}

#[test]
fn the_summary_screen_previews_exactly_what_it_saves() -> Result<()> {
    alone(summary_in_window())
}

async fn preview_text(app: &fantoccini::Client) -> Result<String> {
    eventually(WAIT, "the preview to render", || async {
        let v = app
            .execute(
                "const f = document.querySelector('#summary-preview'); \
                 return f && f.contentDocument && f.contentDocument.body ? f.contentDocument.body.innerText : null;",
                vec![],
            )
            .await
            .ok()?;
        v.as_str().filter(|t| !t.is_empty()).map(String::from)
    })
    .await
}

async fn summary_in_window() -> Result<()> {
    let dir = tempfile::tempdir()?;
    let home = dir.path().join("home");
    let exports = dir.path().join("exports");
    pair_with_a_record(&home);
    let driver = Driver::start_with(&home, &[("TANDEM_EXPORT_DIR", &exports)])?;
    let app = driver.open_app().await?;
    click(&app, "[data-testid=pair-card]").await?;
    click(&app, "#open-summary").await?;

    // The pair's target role picks the reviewer template. The evidence log meets the two review
    // lines; the membership date and the sponsor are not recorded yet.
    text_with(&app, "#bar-score", "The bar: 2 of 4 met").await?;
    let selected = css(&app, "#summary-template").await?.prop("value").await?;
    assert_eq!(selected.as_deref(), Some("kubernetes-reviewer"));

    // The sponsor line is attested; the membership date is given; a bad date is explained.
    click(&app, ".bar-line[data-line=sponsor] .adjust-line").await?;
    click(&app, ".bar-line[data-line=sponsor] .bar-met").await?;
    type_into(
        &app,
        ".bar-line[data-line=sponsor] .bar-note",
        "@jdoe, SIG Docs approver",
    )
    .await?;
    click(&app, ".bar-line[data-line=sponsor] .save-line").await?;
    text_with(&app, "#bar-score", "3 of 4 met").await?;
    // The committee asks for more primary reviews than the 12 logged.
    click(&app, ".bar-line[data-line=primary-reviews] .adjust-line").await?;
    type_into(
        &app,
        ".bar-line[data-line=primary-reviews] .bar-min",
        "5000",
    )
    .await?;
    click(&app, ".bar-line[data-line=primary-reviews] .save-line").await?;
    text_with(&app, "#bar-error-primary-reviews", "from 0 to 1000").await?;
    type_into(&app, ".bar-line[data-line=primary-reviews] .bar-min", "13").await?;
    click(&app, ".bar-line[data-line=primary-reviews] .save-line").await?;
    text_with(&app, "#bar-score", "2 of 4 met").await?;
    type_into(&app, "#new-line", "Shadowed a docs release").await?;
    click(&app, "#add-line-button").await?;
    text_with(&app, "#bar-score", "2 of 5 met").await?;
    let page = preview_text(&app).await?;
    assert!(
        page.contains("@jdoe, SIG Docs approver") && page.contains("Shadowed a docs release"),
        "{page}"
    );
    for secret in [SESSION_NOTE, PRIVATE_NOTE, UNSHARED] {
        assert!(!page.contains(secret), "the preview shows {secret}");
    }
    shot(&app, "#bar", "summary-01-bar-and-preview").await?;

    // The Markdown tab shows the Markdown; "Save Markdown" writes exactly that.
    click(&app, "#tab-markdown").await?;
    let md = css(&app, "#summary-markdown")
        .await?
        .prop("value")
        .await?
        .unwrap_or_default();
    assert!(md.starts_with("# Add Alex as reviewer"), "{md}");
    shot(&app, "#summary-markdown", "summary-02-markdown").await?;
    click(&app, "#export-md").await?;
    let saved = text_with(&app, "#summary-saved", ".md").await?;
    let path = saved.trim_start_matches("Saved to ").trim().to_string();
    assert_eq!(
        std::fs::read_to_string(&path).with_context(|| path.clone())?,
        md
    );
    click(&app, "#export-pdf").await?;
    let saved = text_with(&app, "#summary-saved", ".pdf").await?;
    let path = saved.trim_start_matches("Saved to ").trim().to_string();
    assert!(std::fs::read(&path)?.starts_with(b"%PDF-"));
    assert!(pdf_text(Path::new(&path))?.contains("@jdoe, SIG Docs approver"));

    // Another template and a narrower period redraw the bar and the preview.
    click(&app, "#tab-page").await?;
    css(&app, "#summary-template")
        .await?
        .select_by_value("astropy")
        .await?;
    text_with(&app, "#bar", "A check-in every month").await?;
    let page = preview_text(&app).await?;
    assert!(page.contains("Nomination of Alex"), "{page}");
    shot(&app, ".summary-controls", "summary-03-astropy").await?;
    app.close().await?;
    Ok(())
}
