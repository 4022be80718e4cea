//! Byte offsets to 1-based line numbers.

/// The start offset of every line of a text.
#[derive(Clone, Debug)]
pub(crate) struct LineIndex {
    starts: Vec<u32>,
}

impl LineIndex {
    pub(crate) fn new(text: &str) -> Self {
        let mut starts = vec![0];
        starts.extend(
            text.bytes()
                .enumerate()
                .filter(|&(_, b)| b == b'\n')
                .map(|(i, _)| i as u32 + 1),
        );
        Self { starts }
    }

    /// The 1-based line holding byte `offset` (the last line for offsets
    /// past the end).
    pub(crate) fn line(&self, offset: u32) -> u32 {
        self.starts.partition_point(|&start| start <= offset) as u32
    }

    pub(crate) fn line_count(&self) -> u32 {
        self.starts.len() as u32
    }

    /// The 0-based line holding byte `offset`.
    pub(crate) fn index(&self, offset: u32) -> usize {
        self.line(offset) as usize - 1
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offsets_map_to_lines() {
        let lines = LineIndex::new("ab\ncd\n\nx");
        assert_eq!(lines.line(0), 1);
        assert_eq!(lines.line(2), 1);
        assert_eq!(lines.line(3), 2);
        assert_eq!(lines.line(6), 3);
        assert_eq!(lines.line(7), 4);
        assert_eq!(lines.line(100), 4);
        assert_eq!(lines.line_count(), 4);
        assert_eq!(lines.index(3), 1);
    }
}
