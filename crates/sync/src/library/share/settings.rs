//! Where documents sync through: the library's shared folder, and folders of their own (a folder
//! shared with one partner only), in `<home>/settings.json`.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::StoreError;
use crate::fsutil::write_atomic;
use crate::library::Library;

/// Library-wide settings, in `<home>/settings.json`.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub(super) struct Settings {
    /// The folder documents sync through, when one was picked.
    pub share: Option<PathBuf>,
    /// Documents that sync through a folder of their own instead (id → folder). The name is the
    /// first release's, when only pairs synced.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub pair_shares: BTreeMap<String, PathBuf>,
}

/// Where one document syncs through, and whether that folder is its own or the library's.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PairShare {
    pub folder: PathBuf,
    /// Picked for this document alone (else it is the library's folder).
    pub own: bool,
}

impl Library {
    /// The settings, as far as they can be read (a damaged file reads as none: nothing syncs
    /// until it is mended, see [`Library::check_settings`]).
    pub(super) fn settings(&self) -> Settings {
        self.read_settings().unwrap_or_default()
    }

    /// The settings, or why `settings.json` cannot be read. Every change goes through here, so a
    /// damaged file is never overwritten with empty settings (which would forget every folder).
    pub(super) fn read_settings(&self) -> Result<Settings, StoreError> {
        let path = self.home.join("settings.json");
        match crate::fsutil::read_capped(&path, 1 << 20) {
            Ok(bytes) => serde_json::from_slice(&bytes).map_err(|e| StoreError::Damaged {
                path,
                reason: e.to_string(),
            }),
            Err(e) if e.not_found() => Ok(Settings::default()),
            Err(e) => Err(StoreError::Damaged {
                path,
                reason: e.to_string(),
            }),
        }
    }

    /// Whether the settings can be read: a damaged `settings.json` is reported, not taken as
    /// "no shared folder".
    pub fn check_settings(&self) -> Result<(), StoreError> {
        self.read_settings().map(drop)
    }

    pub(super) fn write_settings(&self, settings: &Settings) -> Result<(), StoreError> {
        write_atomic(
            &self.home.join("settings.json"),
            &serde_json::to_vec_pretty(settings).unwrap_or_default(),
        )
    }

    /// The shared folder picked for this library, if any.
    pub fn share_folder(&self) -> Option<PathBuf> {
        self.settings().share
    }

    /// Picks the shared folder (Dropbox, Syncthing, a network drive, a USB stick) the documents
    /// sync through. It must exist and be writable.
    pub fn set_share_folder(&mut self, folder: &Path) -> Result<PathBuf, StoreError> {
        self.writable()?;
        let mut settings = self.read_settings()?;
        let folder = usable_folder(folder)?;
        settings.share = Some(folder.clone());
        self.write_settings(&settings)?;
        Ok(folder)
    }

    /// The folder document `id` syncs through: its own when one was picked for it, else the
    /// library's.
    pub fn pair_share(&self, id: &str) -> Option<PairShare> {
        let settings = self.settings();
        match settings.pair_shares.get(id) {
            Some(f) => Some(PairShare {
                folder: f.clone(),
                own: true,
            }),
            None => settings
                .share
                .map(|folder| PairShare { folder, own: false }),
        }
    }

    /// Gives pair `id` a shared folder of its own (a folder shared with this partner only), or
    /// with `None` returns it to the library's folder.
    pub fn set_pair_share_folder(
        &mut self,
        id: &str,
        folder: Option<&Path>,
    ) -> Result<Option<PathBuf>, StoreError> {
        self.writable()?;
        if !self.pair_ids()?.iter().any(|p| p == id) {
            return Err(StoreError::NotFound(id.to_string()));
        }
        let mut settings = self.read_settings()?;
        let folder = folder.map(usable_folder).transpose()?;
        match &folder {
            Some(f) => settings.pair_shares.insert(id.to_string(), f.clone()),
            None => settings.pair_shares.remove(id),
        };
        self.write_settings(&settings)?;
        Ok(folder)
    }

    /// Every folder some document syncs through (the library's and the documents' own), for the
    /// watcher.
    pub fn share_folders(&self) -> BTreeSet<PathBuf> {
        let settings = self.settings();
        settings
            .share
            .into_iter()
            .chain(settings.pair_shares.into_values())
            .collect()
    }
}

/// `folder`, made absolute, once it is known to be a folder Tandem can write into.
pub(super) fn usable_folder(folder: &Path) -> Result<PathBuf, StoreError> {
    let folder = fs::canonicalize(folder).map_err(StoreError::io("open", folder))?;
    if !folder.is_dir() {
        return Err(StoreError::NotAFolder(folder));
    }
    let probe = folder.join(super::files::SHARE_ROOT);
    fs::create_dir_all(&probe).map_err(StoreError::io("write into", &folder))?;
    Ok(folder)
}
