//! Where the library lives, and who this device is.

use std::fs;
use std::path::{Path, PathBuf};

use automerge::ActorId;
use rand::RngCore;
use serde::{Deserialize, Serialize};

use crate::StoreError;
use crate::fsutil::write_atomic;

/// The library folder: `--home` if given, else `$TANDEM_HOME`, else the platform's data folder
/// (e.g. `~/.local/share/tandem` on Linux).
pub fn resolve_home(flag: Option<PathBuf>) -> Result<PathBuf, StoreError> {
    if let Some(h) = flag {
        return Ok(h);
    }
    if let Some(h) = std::env::var_os("TANDEM_HOME").filter(|h| !h.is_empty()) {
        return Ok(PathBuf::from(h));
    }
    directories::ProjectDirs::from("org", "Tandem", "tandem")
        .map(|d| d.data_dir().to_path_buf())
        .ok_or(StoreError::NoHome)
}

/// This device: a stable id, and the Automerge actor its edits are signed with.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Device {
    pub id: String,
    /// Hex of the 16-byte actor id.
    pub actor: String,
    /// This run's 8 random bytes, after the device's in every actor it writes with (see
    /// [`tandem_core::doc::DEVICE_ACTOR_LEN`]): a library restored from a backup then never
    /// writes a change numbered like one its partners already have from this device.
    #[serde(skip, default = "run_nonce")]
    run: [u8; 8],
}

fn run_nonce() -> [u8; 8] {
    rand::random()
}

impl Device {
    /// The actor this device writes with in this run: the device's 16 bytes, then the run's 8.
    pub fn actor_id(&self) -> ActorId {
        let mut bytes = ActorId::try_from(self.actor.as_str())
            .map(|a| a.to_bytes().to_vec())
            .unwrap_or_else(|_| self.id.as_bytes().to_vec());
        bytes.truncate(tandem_core::doc::DEVICE_ACTOR_LEN);
        bytes.resize(tandem_core::doc::DEVICE_ACTOR_LEN, 0);
        bytes.extend_from_slice(&self.run);
        ActorId::from(bytes)
    }

    /// Reads `device.json`, creating it on first use (when `create`).
    pub(crate) fn load_or_create(home: &Path, create: bool) -> Result<Device, StoreError> {
        let path = home.join("device.json");
        match fs::read(&path) {
            Ok(bytes) => serde_json::from_slice(&bytes).map_err(|e| StoreError::Damaged {
                path,
                reason: e.to_string(),
            }),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound && create => {
                let mut actor = [0u8; 16];
                rand::rng().fill_bytes(&mut actor);
                let device = Device {
                    id: ulid::Ulid::new().to_string(),
                    actor: ActorId::from(&actor[..]).to_hex_string(),
                    run: run_nonce(),
                };
                let json = serde_json::to_vec_pretty(&device).unwrap_or_default();
                write_atomic(&path, &json)?;
                Ok(device)
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Device {
                id: "read-only".into(),
                actor: ActorId::random().to_hex_string(),
                run: run_nonce(),
            }),
            Err(e) => Err(StoreError::io("read", path)(e)),
        }
    }
}
