//! `screens.gpu_renderer`: how WebKitGTK (Linux) draws the kiosk's page. Its DMA-BUF renderer
//! composites layers with OpenGL and hands frames to the GPU; on a kiosk without one (no
//! `/dev/dri/renderD*`: old office PCs, most VMs, Xvfb) that GL runs on Mesa's software renderer,
//! which costs memory and time for every frame (issue #19, BENCHMARKS.md). Without it WebKit
//! draws the page on the CPU with no compositing, which for the kiosk's flat pages is less
//! memory and a faster number (the start was the same). `auto` (the default) keeps the GPU path
//! only where there is a GPU to draw with.

use serde::{Deserialize, Serialize};

/// The operator's choice; `auto` decides at start from the machine.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum GpuRenderer {
    /// The GPU path when the machine has a render node, CPU drawing otherwise (the default).
    #[default]
    Auto,
    /// Always the GPU (DMA-BUF) path, as WebKit does by itself.
    On,
    /// Never: a GPU whose driver draws wrongly or crashes WebKit.
    Off,
}

impl GpuRenderer {
    /// Whether WebKit keeps its DMA-BUF (GPU) renderer, given whether the machine has a GPU
    /// render node this process may open.
    pub fn uses_gpu(self, has_render_node: bool) -> bool {
        match self {
            GpuRenderer::Auto => has_render_node,
            GpuRenderer::On => true,
            GpuRenderer::Off => false,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            GpuRenderer::Auto => "auto",
            GpuRenderer::On => "on",
            GpuRenderer::Off => "off",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn auto_follows_the_machine_and_the_operator_can_force_either_way() {
        assert!(GpuRenderer::Auto.uses_gpu(true));
        assert!(!GpuRenderer::Auto.uses_gpu(false));
        assert!(GpuRenderer::On.uses_gpu(false));
        assert!(!GpuRenderer::Off.uses_gpu(true));
        let parsed: crate::Config =
            toml::from_str("[screens]\ngpu_renderer = \"off\"\n").expect("parses");
        assert_eq!(parsed.screens.gpu_renderer, GpuRenderer::Off);
        assert_eq!(
            crate::Config::default().screens.gpu_renderer,
            GpuRenderer::Auto
        );
    }
}
