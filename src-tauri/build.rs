fn main() {
    // tauri.conf.json sits at the repository root (one config for the whole product).
    tauri_build::try_build(tauri_build::Attributes::new().config_path("../tauri.conf.json"))
        .expect("tauri build step failed; see the message above");
}
