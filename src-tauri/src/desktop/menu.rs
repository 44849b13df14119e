//! The window's menu and its keyboard shortcuts (listed in the README). An item the page acts on
//! is sent to it as a `menu-chosen` event with the item's id; the page decides what it means on
//! the screen it shows. Items that need a pair (new session, export, sync now) are enabled only
//! while a pair's page or summary is shown (the page says so with `menu_context`).

use tauri::menu::{
    AboutMetadata, Menu, MenuItem, MenuItemBuilder, PredefinedMenuItem, SubmenuBuilder,
};
use tauri::{AppHandle, Manager as _, Wry};

/// One item: its id (what the page gets), its label, its shortcut, whether it needs a pair.
struct Item {
    id: &'static str,
    label: &'static str,
    shortcut: &'static str,
    needs_pair: bool,
}

const fn item(
    id: &'static str,
    label: &'static str,
    shortcut: &'static str,
    needs_pair: bool,
) -> Item {
    Item {
        id,
        label,
        shortcut,
        needs_pair,
    }
}

const FILE: &[Item] = &[
    item("new-pair", "New pair…", "CmdOrCtrl+Shift+N", false),
    item("new-session", "Log a session…", "CmdOrCtrl+N", true),
    item(
        "export",
        "Progress summary and export…",
        "CmdOrCtrl+E",
        true,
    ),
    item("sync-now", "Sync now", "CmdOrCtrl+R", true),
];

const GO: &[Item] = &[
    item("library", "Library", "CmdOrCtrl+L", false),
    item("search", "Search…", "CmdOrCtrl+K", false),
];

/// The ids the page acts on (the rest the app handles itself).
pub const PAGE_ACTIONS: &[&str] = &[
    "new-pair",
    "new-session",
    "export",
    "sync-now",
    "library",
    "search",
];

const QUIT: &str = "quit";
const SHOW_LOG: &str = "show-log";

/// The items enabled only while a pair is shown.
pub struct PairItems(pub Vec<MenuItem<Wry>>);

fn build_items(
    app: &AppHandle,
    items: &[Item],
    pair: &mut Vec<MenuItem<Wry>>,
) -> tauri::Result<Vec<MenuItem<Wry>>> {
    items
        .iter()
        .map(|i| {
            let built = MenuItemBuilder::with_id(i.id, i.label)
                .accelerator(i.shortcut)
                .enabled(!i.needs_pair)
                .build(app)?;
            if i.needs_pair {
                pair.push(built.clone());
            }
            Ok(built)
        })
        .collect()
}

/// Builds the menu and sets it on the app; returns the items that need a pair.
pub fn install(app: &AppHandle) -> tauri::Result<PairItems> {
    let mut pair = Vec::new();
    let file_items = build_items(app, FILE, &mut pair)?;
    let go_items = build_items(app, GO, &mut pair)?;
    let quit = MenuItemBuilder::with_id(QUIT, "Quit")
        .accelerator("CmdOrCtrl+Q")
        .build(app)?;
    let mut file = SubmenuBuilder::new(app, "File");
    for i in &file_items {
        file = file.item(i);
    }
    let file = file.separator().item(&quit).build()?;
    let mut go = SubmenuBuilder::new(app, "Go");
    for i in &go_items {
        go = go.item(i);
    }
    let go = go.build()?;
    let show_log = MenuItemBuilder::with_id(SHOW_LOG, "Show the log folder").build(app)?;
    let about = PredefinedMenuItem::about(
        app,
        Some("About Tandem"),
        Some(AboutMetadata {
            name: Some("Tandem".into()),
            version: Some(env!("CARGO_PKG_VERSION").into()),
            comments: Some(
                "Mentor–mentee pair journal that syncs through a shared folder or directly, with no server."
                    .into(),
            ),
            ..AboutMetadata::default()
        }),
    )?;
    let help = SubmenuBuilder::new(app, "Help")
        .item(&show_log)
        .separator()
        .item(&about)
        .build()?;
    // macOS needs an Edit menu for copy and paste to reach the page at all; on Linux and Windows
    // the page's own shortcuts already work, and menu accelerators would take them first.
    #[cfg(target_os = "macos")]
    let menu = {
        let edit = SubmenuBuilder::new(app, "Edit")
            .undo()
            .redo()
            .separator()
            .cut()
            .copy()
            .paste()
            .select_all()
            .build()?;
        Menu::with_items(app, &[&file, &edit, &go, &help])?
    };
    #[cfg(not(target_os = "macos"))]
    let menu = Menu::with_items(app, &[&file, &go, &help])?;
    app.set_menu(menu)?;
    Ok(PairItems(pair))
}

/// What a chosen item does: the page's items go to the page, quitting quits (after the window's
/// size is remembered and the last edits are saved, in the exit handler), the log folder opens in
/// the file manager.
pub fn chosen(app: &AppHandle, id: &str, logs: &std::path::Path) {
    match id {
        QUIT => app.exit(0),
        SHOW_LOG => {
            if let Err(e) = crate::desktop::reveal::open(logs) {
                tracing::warn!(error = %e, "could not show the log folder");
            }
        }
        id if PAGE_ACTIONS.contains(&id) => {
            crate::events::emit::<tandem_core::contract::MenuChosen>(app, &id.to_string());
        }
        _ => {}
    }
}

/// Enables the pair's items when `pair` (a pair's page or summary is shown).
pub fn set_pair_shown(app: &AppHandle, pair: bool) {
    if let Some(items) = app.try_state::<PairItems>() {
        for i in &items.0 {
            let _ = i.set_enabled(pair);
        }
    }
}
