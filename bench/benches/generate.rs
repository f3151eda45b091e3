//! Generation time: the whole pipeline (parse, bundle, check, lower, emit, format) on the
//! curated spec, and on a synthetic spec of 2,000 schemas to show how it scales.
//!
//! Run with `cargo bench -p highlevel-bench --bench generate`.

use criterion::{Criterion, criterion_group, criterion_main};

/// 2,000 object schemas chained by `next`, each with a few fields, and an operation per 10.
fn synthetic(count: usize) -> String {
    let mut text = String::from("openapi: 3.0.3\ninfo: {title: Synthetic, version: '1'}\npaths:\n");
    for i in (0..count).step_by(10) {
        text.push_str(&format!(
            "  /items{i}/{{id}}:\n    get:\n      operationId: get-item-{i}\n      parameters:\n\
             \x20       - {{name: id, in: path, required: true, schema: {{type: string}}}}\n\
             \x20       - {{name: limit, in: query, schema: {{type: integer}}}}\n      responses:\n\
             \x20       '200':\n          description: ok\n          content:\n            \
             application/json:\n              schema: {{$ref: '#/components/schemas/Item{i}'}}\n"
        ));
    }
    text.push_str("components:\n  schemas:\n");
    for i in 0..count {
        text.push_str(&format!(
            "    Item{i}:\n      type: object\n      required: [id]\n      properties:\n        \
             id: {{type: string}}\n        label: {{type: string, nullable: true}}\n        \
             status: {{type: string, enum: [open, closed]}}\n        next: {{$ref: \
             '#/components/schemas/Item{}'}}\n",
            (i + 1) % count
        ));
    }
    text
}

fn generate(c: &mut Criterion) {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap();
    let curated = std::fs::read_to_string(root.join("spec/social-planner.yaml")).unwrap();
    let large = synthetic(2_000);
    let mut group = c.benchmark_group("generate");
    group.sample_size(20);
    group.bench_function("curated spec (40 operations, 136 types)", |b| {
        b.iter(|| generator::generate("spec/social-planner.yaml", &curated).unwrap())
    });
    group.bench_function("synthetic spec (2,000 schemas, 200 operations)", |b| {
        b.iter(|| generator::generate("synthetic.yaml", &large).unwrap())
    });
    group.finish();
}

criterion_group!(benches, generate);
criterion_main!(benches);
