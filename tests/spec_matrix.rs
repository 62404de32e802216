//! The oldest spec release the generator supports, v1.1, generates a crate that compiles and
//! passes its own round-trip tests on its own examples (events and API): `cargo xtask
//! spec-matrix --refs v1.1`, run in-process. `main` is what the other tests check; the
//! releases between are for `cargo xtask spec-matrix` (README, "Spec releases").
//!
//! The release is read from the folder of releases beside the checkout
//! (`../shared/matrix-spec/v1.1`, or `$MATRIX_SPEC_RELEASES/v1.1`); without it the test fails,
//! saying so. The crate is generated into `target/spec-matrix/v1.1/` and built there (debug,
//! in the checkout's target folder, so that it reuses every dependency built for the other
//! tests: one extra build of the generated crate and of the two test programs).

use std::path::PathBuf;
use std::time::Instant;

/// The oldest release, the one this test runs.
const RELEASE: &str = "v1.1";

fn main() {
    let started = Instant::now();
    let repo = tests::repo_root();
    let mut options = xtask::spec_matrix::Options::new(&repo);
    if let Some(dir) = std::env::var_os("MATRIX_SPEC_RELEASES").filter(|d| !d.is_empty()) {
        options.specs = PathBuf::from(dir);
    }
    let spec = options.specs.join(RELEASE);
    if !spec.join("data").is_dir() {
        eprintln!(
            "spec release {RELEASE} not found at {} (set MATRIX_SPEC_RELEASES to the folder of releases)",
            spec.display()
        );
        std::process::exit(1);
    }
    options.refs = Some(vec![RELEASE.to_owned()]);
    let rows = xtask::spec_matrix::run(&options, &mut |line| println!("spec-matrix: {line}"))
        .unwrap_or_else(|err| panic!("{err}"));
    print!("{}", xtask::spec_matrix::table(&rows));
    println!("spec matrix of {RELEASE} in {:.1?}", started.elapsed());
    let [row] = rows.as_slice() else {
        panic!("one row expected, got {}", rows.len());
    };
    let checked = |c: Option<xtask::spec_matrix::Count>| c.map_or(0, |c| c.checked);
    // About 10% below what v1.1 has (64 event examples, 957 API examples and 2 more that are
    // not JSON), so that an enumeration broken by a change of the tests fails rather than
    // checking little.
    let floors_met = checked(row.events) >= 57 && checked(row.api) >= 860;
    if !floors_met {
        println!("  FAILED fewer examples than {RELEASE} has: is the enumeration broken?");
    }
    if !row.passed() || !floors_met {
        std::process::exit(1);
    }
}
