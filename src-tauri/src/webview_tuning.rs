//! WebKitGTK settings the kiosk decides in code, so that no operator needs to know an
//! environment variable (issue #19; measured in BENCHMARKS.md). Windows: WebView2 picks its GPU
//! path itself and has no such settings here; these are no-ops there (not tried on Windows).

use hadir::Config;

/// WebKitGTK's switch for its DMA-BUF renderer, read when the first web view is made.
#[cfg(target_os = "linux")]
const DISABLE_DMABUF: &str = "WEBKIT_DISABLE_DMABUF_RENDERER";

/// Chooses WebKit's renderer from `screens.gpu_renderer` and the machine, before any window
/// exists. A value the operator put in the environment is left alone (and logged).
pub fn choose_renderer(config: &Config) {
    #[cfg(target_os = "linux")]
    {
        if let Some(value) = std::env::var_os(DISABLE_DMABUF) {
            log::info!("renderer: {DISABLE_DMABUF}={value:?} from the environment, left as it is");
            return;
        }
        let setting = config.screens.gpu_renderer;
        let render_node = has_render_node();
        if setting.uses_gpu(render_node) {
            log::info!(
                "renderer: GPU (DMA-BUF), screens.gpu_renderer = {}, render node: {render_node}",
                setting.as_str()
            );
        } else {
            // Set before GTK and WebKit start (the window is made after this), while the
            // process has no other thread reading the environment.
            std::env::set_var(DISABLE_DMABUF, "1");
            log::info!(
                "renderer: CPU, no compositing, screens.gpu_renderer = {}, render node: {render_node}",
                setting.as_str()
            );
        }
    }
    #[cfg(not(target_os = "linux"))]
    let _ = config;
}

/// A GPU render node this process may open (`/dev/dri/renderD128`, ...): what WebKit's DMA-BUF
/// renderer draws with. None under Xvfb, on most VMs, or when the kiosk user may not open it
/// (not in `render`); a VM's virtual GPU may offer one whose GL is still software (`off` then).
#[cfg(target_os = "linux")]
fn has_render_node() -> bool {
    let Ok(entries) = std::fs::read_dir("/dev/dri") else {
        return false;
    };
    entries.flatten().any(|entry| {
        entry.file_name().to_string_lossy().starts_with("renderD")
            && std::fs::OpenOptions::new()
                .read(true)
                .write(true)
                .open(entry.path())
                .is_ok()
    })
}
