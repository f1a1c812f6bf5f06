// Reproduces docs/serve-page.png: drives the web page in headless Chromium over the DevTools protocol
// (draw a box per line, generate two 128x128 pictures, screenshot). Not part of the build or tests.
//   ./anytext2 serve --model tiny-pkg --port 18080 &
//   chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run --disable-background-networking \
//     --disable-component-update --disable-sync --user-data-dir="$(mktemp -d)" --remote-debugging-port=9333 about:blank &
//   node --experimental-websocket docs/serve-screenshot.mjs 9333 http://127.0.0.1:18080/ docs/serve-page.png
import { writeFileSync } from 'node:fs';
const [port, url, out] = process.argv.slice(2);
const list = await (await fetch(`http://127.0.0.1:${port}/json/list`)).json();
const ws = new WebSocket(list.find((t) => t.type === 'page').webSocketDebuggerUrl);
await new Promise((r) => ws.addEventListener('open', r));
let seq = 0;
const pending = new Map();
ws.addEventListener('message', (m) => {
  const msg = JSON.parse(m.data);
  if (msg.id && pending.has(msg.id)) { pending.get(msg.id)(msg); pending.delete(msg.id); }
});
const send = (method, params = {}) => new Promise((r) => { const id = ++seq; pending.set(id, r); ws.send(JSON.stringify({ id, method, params })); });
const evaluate = async (expr) => (await send('Runtime.evaluate', { expression: expr, awaitPromise: true, returnByValue: true })).result.result.value;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
await send('Emulation.setDeviceMetricsOverride', { width: 1280, height: 1000, deviceScaleFactor: 1, mobile: false });
await send('Page.navigate', { url });
await sleep(1500);
const mouse = (type, x, y) => send('Input.dispatchMouseEvent', { type, x, y, button: 'left', clickCount: 1 });
async function drag(lineIndex, x0, y0, x1, y1) {
  await evaluate(`document.querySelectorAll('#lines li')[${lineIndex}].click()`);
  const r = await evaluate(`(() => { const b = document.getElementById('canvas').getBoundingClientRect(); const c = document.getElementById('canvas'); return [b.left, b.top, b.width / Number(document.getElementById('width').value)]; })()`);
  const [left, top, s] = r;
  await mouse('mousePressed', left + x0 * s, top + y0 * s);
  await mouse('mouseMoved', left + x1 * s, top + y1 * s);
  await mouse('mouseReleased', left + x1 * s, top + y1 * s);
}
await evaluate(`for (const id of ['width', 'height']) { const s = document.getElementById(id); s.value = 128; s.dispatchEvent(new Event('change')); }`);
await drag(0, 16, 24, 112, 50);
await drag(1, 32, 75, 96, 95);
await evaluate(`(() => { const i = document.querySelectorAll('#lines input[type=color]')[0]; i.value = '#c81e28'; i.dispatchEvent(new Event('input')); })()`);
await evaluate(`(() => { const s = document.querySelectorAll('#lines select')[1]; s.value = s.options[1].value; s.dispatchEvent(new Event('change')); })()`);
await evaluate(`document.getElementById('steps').value = 6; document.getElementById('seed').value = 42; document.getElementById('count').value = 2;`);
await evaluate(`document.getElementById('run').click()`);
let status = '';
for (let i = 0; i < 300 && !status.startsWith('done'); i++) { await sleep(200); status = await evaluate(`document.getElementById('status').textContent`); }
console.log('status:', status);
await drag(0, 16, 24, 112, 50); // re-select line 1 so its box is highlighted
const shot = await send('Page.captureScreenshot', { format: 'png' });
writeFileSync(out, Buffer.from(shot.result.data, 'base64'));
ws.close();
