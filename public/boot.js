// Loads the Saha WebAssembly bundle. Everything after this line runs in Rust.
import init from '/pkg/saha.js';

init({ module_or_path: '/pkg/saha_bg.wasm' }).catch((error) => {
  const boot = document.getElementById('boot');
  if (boot) {
    boot.textContent = `Saha açılamadı / Saha could not start: ${error}`;
    boot.setAttribute('role', 'alert');
  }
});
