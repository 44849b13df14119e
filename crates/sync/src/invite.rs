//! Invites: a `tandem://join/…` link, or the same code to paste, carrying the pair id, the person
//! the partner joins as, and the pair key. Anyone holding it can read the pair; the UI says so.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;

use crate::seal::DocKey;

const PREFIX: &str = "tandem://join/";
const VERSION: u8 = 1;

/// What an invite carries. `Debug` does not print the key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Invite {
    pub pair_id: String,
    /// The person id the partner's device acts as.
    pub person: String,
    pub key: DocKey,
}

/// Why an invite could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum InviteError {
    #[error("That is not a Tandem invite; it starts with tandem://join/ or is the code after it.")]
    NotAnInvite,
    #[error("That invite is incomplete or mistyped; copy the whole link or code again.")]
    Damaged,
    #[error("That invite was made by a newer Tandem; update Tandem to join.")]
    Newer,
}

impl Invite {
    /// The code: version, pair id, person id and key, as URL-safe base64.
    pub fn code(&self) -> String {
        let mut b = vec![VERSION];
        for part in [self.pair_id.as_bytes(), self.person.as_bytes()] {
            b.push(u8::try_from(part.len()).unwrap_or(u8::MAX));
            b.extend_from_slice(&part[..part.len().min(255)]);
        }
        b.extend_from_slice(&self.key.0);
        // A checksum byte, so a mistyped code is told apart from a wrong key.
        b.push(
            b.iter()
                .fold(0u8, |a, x| a.wrapping_mul(31).wrapping_add(*x)),
        );
        URL_SAFE_NO_PAD.encode(b)
    }

    pub fn link(&self) -> String {
        format!("{PREFIX}{}", self.code())
    }

    /// Reads a link or a bare code (surrounding spaces and line breaks are ignored).
    pub fn parse(text: &str) -> Result<Invite, InviteError> {
        let t: String = text.chars().filter(|c| !c.is_whitespace()).collect();
        let code = t.strip_prefix(PREFIX).unwrap_or(&t);
        if code.contains("://") || code.is_empty() {
            return Err(InviteError::NotAnInvite);
        }
        let b = URL_SAFE_NO_PAD
            .decode(code)
            .map_err(|_| InviteError::Damaged)?;
        let (&sum, body) = b.split_last().ok_or(InviteError::Damaged)?;
        if body
            .iter()
            .fold(0u8, |a, x| a.wrapping_mul(31).wrapping_add(*x))
            != sum
        {
            return Err(InviteError::Damaged);
        }
        let (&version, mut rest) = body.split_first().ok_or(InviteError::Damaged)?;
        if version > VERSION {
            return Err(InviteError::Newer);
        }
        let mut field = || -> Result<String, InviteError> {
            let (&len, tail) = rest.split_first().ok_or(InviteError::Damaged)?;
            let (s, tail) = tail
                .split_at_checked(usize::from(len))
                .ok_or(InviteError::Damaged)?;
            rest = tail;
            String::from_utf8(s.to_vec()).map_err(|_| InviteError::Damaged)
        };
        let pair_id = field()?;
        let person = field()?;
        let key: [u8; 32] = rest.try_into().map_err(|_| InviteError::Damaged)?;
        let ok = |s: &str| !s.is_empty() && s.chars().all(|c| c.is_ascii_alphanumeric());
        if !ok(&pair_id) || !ok(&person) {
            return Err(InviteError::Damaged);
        }
        Ok(Invite {
            pair_id,
            person,
            key: DocKey(key),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn invite() -> Invite {
        Invite {
            pair_id: "01JPAIR".into(),
            person: "01JALEX".into(),
            key: DocKey([9; 32]),
        }
    }

    #[test]
    fn link_and_code_round_trip() {
        let i = invite();
        assert!(i.link().starts_with("tandem://join/"));
        assert_eq!(Invite::parse(&i.link()), Ok(i.clone()));
        assert_eq!(Invite::parse(&format!("  {}\n", i.code())), Ok(i.clone()));
        assert!(!format!("{i:?}").contains("9, 9"));
    }

    #[test]
    fn a_mistyped_or_foreign_invite_is_a_sentence() {
        let code = invite().code();
        let mut typo = code.clone().into_bytes();
        typo[10] = if typo[10] == b'A' { b'B' } else { b'A' };
        assert_eq!(
            Invite::parse(&String::from_utf8_lossy(&typo)),
            Err(InviteError::Damaged)
        );
        assert_eq!(Invite::parse(&code[..20]), Err(InviteError::Damaged));
        assert_eq!(
            Invite::parse("https://example.com/x"),
            Err(InviteError::NotAnInvite)
        );
        assert_eq!(Invite::parse(""), Err(InviteError::NotAnInvite));
    }
}
