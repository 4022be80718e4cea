//! Training rows from edit paths: the LintSeq paper's text format, and
//! TRL's prompt-completion and conversational layouts of the same text.
//!
//! The paper trains on `instruction + "\n<|diff|>" + d1 + "\n<|diff|>" + … +
//! dn + "\n<|diff|>\n<|diff|>"` (the reference fine-tuning script joins the
//! diffs with `"\n<|diff|>"` after an empty first edit and before two empty
//! last ones), with the loss masked over the instruction. The two empty
//! edits at the end tell the model the program is finished.

use std::fmt;
use std::str::FromStr;

use crate::resolve::DIFF_SEPARATOR;

/// A training-row layout.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Style {
    /// `{"prompt": instruction + "\n<|diff|>", "completion": d1 +
    /// "\n<|diff|>" + … + dn + "\n<|diff|>\n<|diff|>"}`: the paper's format.
    Lintseq,
    /// TRL's standard prompt-completion rows: `{"prompt": instruction,
    /// "completion": "\n<|diff|>" + d1 + …}`, so that prompt + completion is
    /// the paper's text and the loss covers exactly what the paper's does.
    PromptCompletion,
    /// TRL's conversational rows: `{"messages": [system?, user: instruction,
    /// assistant: "<|diff|>" + d1 + …]}`.
    Messages,
}

impl Style {
    pub const NAMES: &'static [&'static str] = &["lintseq", "prompt-completion", "messages"];

    pub fn name(self) -> &'static str {
        match self {
            Style::Lintseq => "lintseq",
            Style::PromptCompletion => "prompt-completion",
            Style::Messages => "messages",
        }
    }
}

impl fmt::Display for Style {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// An unknown style name.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("unknown style {0:?}; expected one of lintseq, prompt-completion, messages")]
pub struct UnknownStyle(pub String);

impl FromStr for Style {
    type Err = UnknownStyle;

    fn from_str(text: &str) -> Result<Self, UnknownStyle> {
        match text {
            "lintseq" => Ok(Style::Lintseq),
            "prompt-completion" | "prompt_completion" => Ok(Style::PromptCompletion),
            "messages" | "conversational" | "chat" => Ok(Style::Messages),
            other => Err(UnknownStyle(other.to_string())),
        }
    }
}

/// One chat message.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Message {
    pub role: &'static str,
    pub content: String,
}

/// A training row.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TrainingRow {
    PromptCompletion { prompt: String, completion: String },
    Messages(Vec<Message>),
}

/// The diffs as the paper's completion: joined by `"\n<|diff|>"` and closed
/// by two empty edits, `d1 + "\n<|diff|>" + … + dn + "\n<|diff|>\n<|diff|>"`.
pub fn completion(diffs: &[impl AsRef<str>]) -> String {
    let separator = format!("\n{DIFF_SEPARATOR}");
    let mut text = String::new();
    for (i, diff) in diffs.iter().enumerate() {
        if i > 0 {
            text.push_str(&separator);
        }
        text.push_str(diff.as_ref());
    }
    text.push_str(&separator);
    text.push_str(&separator);
    text
}

/// The training row of one edit path in `style`. `system` is a system
/// message for [`Style::Messages`] (ignored by the other styles).
pub fn training_row(
    style: Style,
    instruction: &str,
    diffs: &[impl AsRef<str>],
    system: Option<&str>,
) -> TrainingRow {
    let edits = completion(diffs);
    match style {
        Style::Lintseq => TrainingRow::PromptCompletion {
            prompt: format!("{instruction}\n{DIFF_SEPARATOR}"),
            completion: edits,
        },
        Style::PromptCompletion => TrainingRow::PromptCompletion {
            prompt: instruction.to_string(),
            completion: format!("\n{DIFF_SEPARATOR}{edits}"),
        },
        Style::Messages => {
            let mut messages = Vec::with_capacity(3);
            if let Some(system) = system {
                messages.push(Message {
                    role: "system",
                    content: system.to_string(),
                });
            }
            messages.push(Message {
                role: "user",
                content: instruction.to_string(),
            });
            messages.push(Message {
                role: "assistant",
                content: format!("{DIFF_SEPARATOR}{edits}"),
            });
            TrainingRow::Messages(messages)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::resolve::resolve_model_output;

    const DIFFS: [&str; 2] = ["@@ -0,0 +1 @@\n+def f():", "@@ -1,0 +2 @@\n+    return 1"];

    #[test]
    fn lintseq_style_is_the_papers_text() {
        let TrainingRow::PromptCompletion { prompt, completion } =
            training_row(Style::Lintseq, "Write f.", &DIFFS, None)
        else {
            panic!("not a prompt-completion row");
        };
        // The reference: instruction + "\n<|diff|>".join([""] + diffs + ["", ""]).
        let mut reference = String::from("Write f.");
        for piece in ["", DIFFS[0], DIFFS[1], "", ""].iter().skip(1) {
            reference.push_str("\n<|diff|>");
            reference.push_str(piece);
        }
        assert_eq!(format!("{prompt}{completion}"), reference);
        assert_eq!(prompt, "Write f.\n<|diff|>");
        assert!(completion.ends_with("\n<|diff|>\n<|diff|>"));
    }

    #[test]
    fn every_style_resolves_back_to_the_program() {
        for style in [Style::Lintseq, Style::PromptCompletion, Style::Messages] {
            let text = match training_row(style, "Write f.", &DIFFS, Some("Be brief.")) {
                TrainingRow::PromptCompletion { completion, .. } => completion,
                TrainingRow::Messages(messages) => {
                    assert_eq!(messages.len(), 3);
                    messages.last().unwrap().content.clone()
                }
            };
            let resolved = resolve_model_output(&text);
            assert_eq!(resolved.program(), "def f():\n    return 1", "{style}");
            assert!(resolved.issues.is_empty(), "{style}: {:?}", resolved.issues);
        }
        let TrainingRow::PromptCompletion { prompt, completion } =
            training_row(Style::PromptCompletion, "Write f.", &DIFFS, None)
        else {
            panic!();
        };
        let TrainingRow::PromptCompletion {
            prompt: p2,
            completion: c2,
        } = training_row(Style::Lintseq, "Write f.", &DIFFS, None)
        else {
            panic!();
        };
        assert_eq!(prompt + &completion, p2 + &c2);
    }

    #[test]
    fn styles_parse_by_name() {
        for name in Style::NAMES {
            assert_eq!(name.parse::<Style>().unwrap().name(), *name);
        }
        assert!("alpaca".parse::<Style>().is_err());
    }
}
