//! Turning "the textarea now says X" into the one splice that changed it, so the UI sends edits
//! (which merge by character) rather than whole texts (which would overwrite the partner's typing).

/// One splice in Unicode code points: delete `delete` characters at `pos`, then insert `insert`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Splice {
    pub pos: usize,
    pub delete: usize,
    pub insert: String,
}

/// The smallest single splice that turns `old` into `new`, or `None` if they are equal.
/// A typed character, a deletion, a paste over a selection: each is one splice.
pub fn diff(old: &str, new: &str) -> Option<Splice> {
    if old == new {
        return None;
    }
    let a: Vec<char> = old.chars().collect();
    let b: Vec<char> = new.chars().collect();
    let prefix = a.iter().zip(&b).take_while(|(x, y)| x == y).count();
    let max_suffix = a.len().min(b.len()) - prefix;
    let suffix = a
        .iter()
        .rev()
        .zip(b.iter().rev())
        .take(max_suffix)
        .take_while(|(x, y)| x == y)
        .count();
    Some(Splice {
        pos: prefix,
        delete: a.len() - prefix - suffix,
        insert: b[prefix..b.len() - suffix].iter().collect(),
    })
}

/// Applies a splice to a string (for tests and for optimistic UI updates).
pub fn apply(text: &str, s: &Splice) -> String {
    let chars: Vec<char> = text.chars().collect();
    let end = (s.pos + s.delete).min(chars.len());
    let pos = s.pos.min(end);
    chars[..pos]
        .iter()
        .copied()
        .chain(s.insert.chars())
        .chain(chars[end..].iter().copied())
        .collect()
}

/// Where a cursor at `pos` (code points) in the old text sits after `s` was applied: after the
/// splice if the splice was before it, unmoved if after, at the end of the insert if inside.
pub fn transform(pos: usize, s: &Splice) -> usize {
    let inserted = s.insert.chars().count();
    if pos <= s.pos {
        pos
    } else if pos >= s.pos + s.delete {
        pos + inserted - s.delete
    } else {
        s.pos + inserted
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn typing_deleting_and_pasting() {
        let s = |pos, delete, insert: &str| {
            Some(Splice {
                pos,
                delete,
                insert: insert.into(),
            })
        };
        assert_eq!(diff("abc", "abc"), None);
        assert_eq!(diff("abc", "abxc"), s(2, 0, "x"));
        assert_eq!(diff("abc", "ac"), s(1, 1, ""));
        assert_eq!(diff("aaa", "aaaa"), s(3, 0, "a"));
        assert_eq!(diff("héllo wörld", "héllo, wörld"), s(5, 0, ","));
        assert_eq!(diff("one two three", "one 2 three"), s(4, 3, "2"));
    }

    #[test]
    fn a_cursor_keeps_its_place_when_text_changes_around_it() {
        // "Hello wor|ld": the partner inserts "dear " before, and deletes after.
        let before = "Hello world";
        let cursor = 9;
        let partner = "Hello dear world";
        let moved = diff(before, partner).map_or(cursor, |s| transform(cursor, &s));
        assert_eq!(
            &partner.chars().take(moved).collect::<String>(),
            "Hello dear wor"
        );
        let cut = "Hello wor";
        let kept = diff(before, cut).map_or(cursor, |s| transform(cursor, &s));
        assert_eq!(kept, 9);
    }

    proptest! {
        /// Text before the cursor that the change did not touch stays before it.
        #[test]
        fn the_text_before_the_cursor_survives_an_edit_after_it(
            head in "[ab é]{0,8}", tail in "[ab é]{0,8}", new_tail in "[ab é]{0,8}",
        ) {
            let old = format!("{head}{tail}");
            let new = format!("{head}{new_tail}");
            let cursor = head.chars().count();
            let moved = diff(&old, &new).map_or(cursor, |s| transform(cursor, &s));
            prop_assert_eq!(new.chars().take(moved).collect::<String>(), head);
        }

        #[test]
        fn the_splice_reproduces_the_new_text(old in "[ab é]{0,12}", new in "[ab é]{0,12}") {
            match diff(&old, &new) {
                None => prop_assert_eq!(&old, &new),
                Some(s) => prop_assert_eq!(apply(&old, &s), new),
            }
        }
    }
}
