//! Byte offsets to line numbers.

use ruff_text_size::TextSize;

/// The start offset of every line of a text.
#[derive(Debug)]
pub(crate) struct LineIndex {
    starts: Vec<u32>,
}

impl LineIndex {
    pub(crate) fn new(text: &str) -> Self {
        let mut starts = Vec::with_capacity(text.len() / 24 + 1);
        starts.push(0);
        starts.extend(
            text.bytes()
                .enumerate()
                .filter(|&(_, b)| b == b'\n')
                .map(|(i, _)| i as u32 + 1),
        );
        Self { starts }
    }

    /// 1-based line of `offset`.
    pub(crate) fn line(&self, offset: TextSize) -> u32 {
        let offset = offset.to_u32();
        match self.starts.binary_search(&offset) {
            Ok(index) => index as u32 + 1,
            Err(index) => index as u32,
        }
    }

    pub(crate) fn line_count(&self) -> u32 {
        self.starts.len() as u32
    }

    /// Offset where 1-based `line` starts.
    pub(crate) fn line_start(&self, line: u32) -> u32 {
        self.starts[(line as usize).saturating_sub(1).min(self.starts.len() - 1)]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn maps_offsets_to_lines() {
        let index = LineIndex::new("ab\ncd\n\nef");
        let line = |o: u32| index.line(TextSize::new(o));
        assert_eq!(
            [line(0), line(2), line(3), line(6), line(7), line(9)],
            [1, 1, 2, 3, 4, 4]
        );
        assert_eq!(index.line_count(), 4);
        assert_eq!(index.line_start(4), 7);
    }
}
