// The camera fallback (config `camera = true`): a live preview on the welcome screen, and a few
// grey frames a second sent to the backend, which decodes them (rxing, in Rust). A decoded code
// goes to the same handler as a scanner's burst. Nothing here reads a QR code itself.
"use strict";

window.camera = {
  // Frames a second sent for decoding: enough to feel instant, little CPU on a small kiosk PC.
  framesPerSecond: 4,
  // Decoding works on this size; a booking QR held 20-40 cm away fills enough of it.
  width: 640,
  height: 480,
  video: null,
  // What frames are taken from: the camera's video. Anything drawable will do (an image or a
  // canvas), which is how the end-to-end test holds a QR code up without a camera.
  source: null,
  canvas: null,
  sent: 0,

  // Starts the preview in `video` and calls `onCode(text)` for each decoded frame, while
  // `wanted()` says the kiosk is waiting for a scan.
  async start(video, onCode, wanted) {
    this.video = video;
    this.source = video;
    this.canvas = document.createElement("canvas");
    this.canvas.width = this.width;
    this.canvas.height = this.height;
    try {
      const stream = await navigator.mediaDevices.getUserMedia({
        video: { width: { ideal: this.width }, height: { ideal: this.height } },
        audio: false,
      });
      video.srcObject = stream;
      await video.play();
      document.body.dataset.camera = "on";
    } catch (error) {
      // No camera, or permission refused: the scanner and manual entry still work.
      console.error("camera unavailable", error);
      document.body.dataset.camera = "unavailable";
      video.hidden = true;
      return;
    }
    const tick = async () => {
      const ready = this.source !== video || video.readyState >= 2;
      if (wanted() && ready) {
        const code = await this.sendFrame(this.source);
        if (code) {
          onCode(code);
        }
      }
      setTimeout(tick, 1000 / this.framesPerSecond);
    };
    tick();
  },

  // Draws `source` (the video, or any image or canvas) at the decoding size, turns it grey, and
  // asks the backend for the QR code's text (or null).
  async sendFrame(source) {
    const context = this.canvas.getContext("2d", { willReadFrequently: true });
    context.drawImage(source, 0, 0, this.width, this.height);
    const rgba = context.getImageData(0, 0, this.width, this.height).data;
    const grey = new Uint8Array(this.width * this.height);
    for (let i = 0, p = 0; i < grey.length; i += 1, p += 4) {
      // ITU-R BT.601 luma, integer form.
      grey[i] = (rgba[p] * 77 + rgba[p + 1] * 150 + rgba[p + 2] * 29) >> 8;
    }
    this.sent += 1;
    document.body.dataset.cameraFrames = String(this.sent);
    try {
      return await window.backend.call("camera_frame", grey, {
        "x-frame-width": String(this.width),
        "x-frame-height": String(this.height),
      });
    } catch (error) {
      console.error("camera_frame failed", error);
      return null;
    }
  },
};
