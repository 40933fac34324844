// The default theme and the `init` starter site are built into the binary
// (include_dir); rebuild when any of their files change.
fn main() {
    println!("cargo:rerun-if-changed=themes/default");
    println!("cargo:rerun-if-changed=scaffold");
}
