//! The same rows give the same output in every format, in and out.

use std::fs;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use arrow_array::cast::AsArray;
use arrow_array::types::Int64Type;
use arrow_array::{Array, ArrayRef, Int64Array, RecordBatch, StringArray};
use arrow_schema::{DataType, Field, Schema};
use lintseq_core::pipeline::Generation;
use lintseq_pipeline::{Error, Format, GenerateConfig, Job, Observer, Problem, Quiet, RowId};
use parquet::arrow::ArrowWriter;
use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;
use serde_json::{Value, json};

fn job() -> Job {
    Job {
        python: Default::default(),
        generation: Generation {
            paths: 2,
            seed: 5,
            sampler: Default::default(),
        },
        code_field: "response".into(),
        prompt_field: Some("instruction".into()),
        max_lines: 20_000,
        languages: Default::default(),
    }
}

fn config(input: &Path, output: &Path) -> GenerateConfig {
    GenerateConfig {
        input: input.to_path_buf(),
        input_format: None,
        output: output.to_path_buf(),
        output_format: None,
        force: false,
        threads: 2,
        subsample: None,
        keep_skipped: false,
        job: job(),
    }
}

/// (instruction, response) pairs; `None` is a null cell.
fn rows() -> Vec<(Option<&'static str>, Option<&'static str>)> {
    vec![
        (
            Some("Add one."),
            Some("def f(x):\n    y = x + 1\n    return y"),
        ),
        (Some("Nothing."), Some("# only a comment")),
        (
            Some("Markdown."),
            Some("Here:\n```python\nimport os\n\ndef g():\n    return os.sep\n```"),
        ),
        (Some("Null code."), None),
        (None, Some("x = 1\ny = x")),
        (
            Some("Loop."),
            Some("total = 0\nfor i in range(3):\n    total += i\nprint(total)"),
        ),
    ]
}

fn write_jsonl(path: &Path) {
    let mut text = String::new();
    for (instruction, response) in rows() {
        text.push_str(&json!({"instruction": instruction, "response": response}).to_string());
        text.push('\n');
    }
    fs::write(path, text).unwrap();
}

fn input_batch() -> RecordBatch {
    let (instructions, responses): (Vec<_>, Vec<_>) = rows().into_iter().unzip();
    let schema = Schema::new(vec![
        Field::new("id", DataType::Int64, false),
        Field::new("instruction", DataType::Utf8, true),
        Field::new("response", DataType::Utf8, true),
    ]);
    let ids: ArrayRef = Arc::new(Int64Array::from_iter_values(0..responses.len() as i64));
    RecordBatch::try_new(
        Arc::new(schema),
        vec![
            ids,
            Arc::new(StringArray::from(instructions)),
            Arc::new(StringArray::from(responses)),
        ],
    )
    .unwrap()
}

fn write_parquet(path: &Path, batch: &RecordBatch) {
    let mut writer =
        ArrowWriter::try_new(fs::File::create(path).unwrap(), batch.schema(), None).unwrap();
    // Two row groups, to cross a boundary.
    writer.write(&batch.slice(0, 3)).unwrap();
    writer.flush().unwrap();
    writer.write(&batch.slice(3, batch.num_rows() - 3)).unwrap();
    writer.close().unwrap();
}

fn write_arrow_stream(path: &Path, batch: &RecordBatch) {
    let file = fs::File::create(path).unwrap();
    let mut writer = arrow_ipc::writer::StreamWriter::try_new(file, &batch.schema()).unwrap();
    writer.write(&batch.slice(0, 2)).unwrap();
    writer.write(&batch.slice(2, batch.num_rows() - 2)).unwrap();
    writer.finish().unwrap();
}

fn write_arrow_file(path: &Path, batch: &RecordBatch) {
    let file = fs::File::create(path).unwrap();
    let mut writer = arrow_ipc::writer::FileWriter::try_new(file, &batch.schema()).unwrap();
    writer.write(batch).unwrap();
    writer.finish().unwrap();
}

/// Output rows as JSON values, whatever the format.
fn read_output(path: &Path) -> Vec<Value> {
    match Format::from_path(path).unwrap() {
        Format::Jsonl => fs::read_to_string(path)
            .unwrap()
            .lines()
            .map(|line| serde_json::from_str(line).unwrap())
            .collect(),
        Format::Parquet => {
            let reader = ParquetRecordBatchReaderBuilder::try_new(fs::File::open(path).unwrap())
                .unwrap()
                .build()
                .unwrap();
            reader.flat_map(|b| batch_rows(&b.unwrap())).collect()
        }
        Format::Arrow => {
            let reader =
                arrow_ipc::reader::StreamReader::try_new(fs::File::open(path).unwrap(), None)
                    .unwrap();
            reader.flat_map(|b| batch_rows(&b.unwrap())).collect()
        }
    }
}

fn batch_rows(batch: &RecordBatch) -> Vec<Value> {
    let schema = batch.schema();
    (0..batch.num_rows())
        .map(|row| {
            let mut object = serde_json::Map::new();
            for (field, column) in schema.fields().iter().zip(batch.columns()) {
                let value = if column.is_null(row) {
                    Value::Null
                } else {
                    match column.data_type() {
                        DataType::Int64 => json!(column.as_primitive::<Int64Type>().value(row)),
                        DataType::Utf8 => json!(column.as_string::<i32>().value(row)),
                        DataType::List(_) => {
                            let list = column.as_list::<i32>().value(row);
                            let items = list.as_string::<i32>();
                            json!(items.iter().map(Option::unwrap).collect::<Vec<_>>())
                        }
                        other => panic!("unexpected column type {other}"),
                    }
                };
                object.insert(field.name().clone(), value);
            }
            Value::Object(object)
        })
        .collect()
}

/// Records what a run reported.
#[derive(Default)]
struct Recorder {
    skipped: Vec<(u64, String)>,
}

impl Observer for Recorder {
    fn skipped(&mut self, id: RowId, problem: &Problem) {
        self.skipped.push((id.index, problem.to_string()));
    }
}

/// The rows a run writes, with `source_file` set aside (it names the input).
fn run(input: &Path, output: &Path, keep_skipped: bool) -> (Vec<Value>, Recorder) {
    let mut config = config(input, output);
    config.keep_skipped = keep_skipped;
    let mut recorder = Recorder::default();
    lintseq_pipeline::generate(&config, &mut recorder).unwrap();
    let mut rows = read_output(output);
    for row in &mut rows {
        assert_eq!(row["source_file"], json!(input.display().to_string()));
        row.as_object_mut().unwrap().remove("source_file");
    }
    (rows, recorder)
}

fn dir() -> (tempfile::TempDir, impl Fn(&str) -> PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().to_path_buf();
    (dir, move |name: &str| root.join(name))
}

#[test]
fn every_input_format_gives_the_same_rows_in_every_output_format() {
    let (_dir, at) = dir();
    write_jsonl(&at("in.jsonl"));
    let batch = input_batch();
    write_parquet(&at("in.parquet"), &batch);
    write_arrow_stream(&at("in.arrow"), &batch);
    write_arrow_file(&at("in.feather"), &batch);
    let (expected, recorder) = run(&at("in.jsonl"), &at("out-jsonl.jsonl"), false);
    // Rows 1 (comments only), 3 (null code) and 4 (null prompt) are skipped.
    let indices: Vec<u64> = expected
        .iter()
        .map(|r| r["index"].as_u64().unwrap())
        .collect();
    assert_eq!(indices, [0, 0, 2, 2, 5, 5]);
    let skipped: Vec<u64> = recorder.skipped.iter().map(|(i, _)| *i).collect();
    assert_eq!(skipped, [1, 3, 4]);
    for input in ["in.jsonl", "in.parquet", "in.arrow", "in.feather"] {
        for output in ["out.jsonl", "out.parquet", "out.arrow"] {
            let out = at(&format!("{input}-{output}"));
            let (rows, recorder) = run(&at(input), &out, false);
            assert_eq!(rows, expected, "{input} -> {output}");
            assert_eq!(recorder.skipped.len(), 3, "{input}");
            assert!(
                recorder.skipped[1].1.contains("field `response` is null"),
                "{:?}",
                recorder.skipped
            );
            assert!(
                recorder.skipped[2]
                    .1
                    .contains("field `instruction` is null"),
                "{:?}",
                recorder.skipped
            );
        }
    }
}

#[test]
fn kept_skipped_rows_carry_their_reason_in_every_format() {
    let (_dir, at) = dir();
    write_jsonl(&at("in.jsonl"));
    for output in ["out.jsonl", "out.parquet", "out.arrow"] {
        let (rows, _) = run(&at("in.jsonl"), &at(output), true);
        let indices: Vec<u64> = rows.iter().map(|r| r["index"].as_u64().unwrap()).collect();
        assert_eq!(indices, [0, 0, 1, 2, 2, 3, 4, 5, 5], "{output}");
        assert_eq!(rows[2]["edit_path"], Value::Null);
        assert_eq!(rows[2]["source_response"], "# only a comment");
        assert!(
            rows[2]["skip_reason"]
                .as_str()
                .unwrap()
                .starts_with("comments_only: "),
            "{output}: {}",
            rows[2]
        );
        assert_eq!(rows[5]["source_response"], Value::Null);
        assert_eq!(rows[0]["skip_reason"], Value::Null);
    }
}

#[test]
fn a_dataset_folder_is_read_in_the_order_its_state_lists() {
    let (_dir, at) = dir();
    let batch = input_batch();
    fs::create_dir(at("ds")).unwrap();
    write_arrow_stream(&at("ds/data-00001-of-00002.arrow"), &batch.slice(3, 3));
    write_arrow_stream(&at("ds/data-00000-of-00002.arrow"), &batch.slice(0, 3));
    fs::write(
        at("ds/state.json"),
        r#"{"_data_files": [{"filename": "data-00000-of-00002.arrow"},
                            {"filename": "data-00001-of-00002.arrow"}]}"#,
    )
    .unwrap();
    write_jsonl(&at("in.jsonl"));
    let (expected, _) = run(&at("in.jsonl"), &at("a.jsonl"), false);
    let mut config = config(&at("ds"), &at("b.jsonl"));
    config.input_format = Some(Format::Arrow);
    lintseq_pipeline::generate(&config, &mut Quiet).unwrap();
    let mut rows = read_output(&at("b.jsonl"));
    for row in &mut rows {
        row.as_object_mut().unwrap().remove("source_file");
    }
    assert_eq!(rows, expected);
}

#[test]
fn schema_problems_name_the_column_and_the_file() {
    let (_dir, at) = dir();
    write_parquet(&at("in.parquet"), &input_batch());
    let mut wrong = config(&at("in.parquet"), &at("out.jsonl"));
    wrong.job.code_field = "code".into();
    let error = lintseq_pipeline::generate(&wrong, &mut Quiet).unwrap_err();
    let message = error.to_string();
    assert!(matches!(error, Error::Schema { .. }), "{message}");
    assert!(message.contains("no column `code`"), "{message}");
    assert!(message.contains("id, instruction, response"), "{message}");
    assert!(message.contains("in.parquet"), "{message}");
    let mut numeric = config(&at("in.parquet"), &at("out.jsonl"));
    numeric.job.prompt_field = Some("id".into());
    let message = lintseq_pipeline::generate(&numeric, &mut Quiet)
        .unwrap_err()
        .to_string();
    assert!(message.contains("column `id` holds Int64"), "{message}");
    assert!(!at("out.jsonl").exists());
}

#[test]
fn subsampling_counts_columnar_rows() {
    let (_dir, at) = dir();
    write_parquet(&at("in.parquet"), &input_batch());
    write_arrow_stream(&at("in.arrow"), &input_batch());
    write_jsonl(&at("in.jsonl"));
    let mut outputs = Vec::new();
    for input in ["in.jsonl", "in.parquet", "in.arrow"] {
        let out = at(&format!("{input}.out.jsonl"));
        let mut config = config(&at(input), &out);
        config.subsample = Some(4);
        config.keep_skipped = true;
        lintseq_pipeline::generate(&config, &mut Quiet).unwrap();
        let indices: Vec<u64> = read_output(&out)
            .iter()
            .map(|r| r["index"].as_u64().unwrap())
            .collect();
        outputs.push(indices);
    }
    assert_eq!(outputs[0], outputs[1]);
    assert_eq!(outputs[0], outputs[2]);
    let mut distinct = outputs[0].clone();
    distinct.dedup();
    assert_eq!(distinct.len(), 4, "{:?}", outputs[0]);
}
