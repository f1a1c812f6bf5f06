// AnyText2 web page: builds the request JSON of the API (the CLI's --request format) and shows progress.
'use strict';
const MAX_LINES = 5;
const PALETTE = ['#e6194b', '#3cb44b', '#4363d8', '#f58231', '#911eb4'];
const $ = (id) => document.getElementById(id);
const canvas = $('canvas');
const ctx = canvas.getContext('2d');
const maskCanvas = document.createElement('canvas'); // edit: free-hand mask, white on transparent
const state = { mode: 'generate', lines: [], selected: 0, fonts: [], image: null, imageData: null, brushUsed: false,
  pending: [], drag: null, job: null, poll: null, sizeChosen: false };

function tool() { return document.querySelector('input[name=tool]:checked').value; }

function setStatus(text, bad) { $('status').textContent = text; $('status').classList.toggle('bad', !!bad); }

// ---- text lines ----------------------------------------------------------------------------------
function addLine(text) {
  if (state.lines.length >= MAX_LINES) return;
  state.lines.push({ text: text || '', color: '#c81e28', autoColor: true, font: 'none', points: null });
  state.selected = state.lines.length - 1;
  renderLines();
  draw();
}

function renderLines() {
  const ol = $('lines');
  ol.textContent = '';
  state.lines.forEach((line, i) => {
    const li = document.createElement('li');
    li.classList.toggle('selected', i === state.selected);
    li.addEventListener('click', () => { state.selected = i; state.pending = []; renderLines(); draw(); });
    const swatch = document.createElement('span');
    swatch.className = 'swatch';
    swatch.style.background = PALETTE[i];
    const text = document.createElement('input');
    text.type = 'text';
    text.maxLength = 20;
    text.placeholder = 'text (≤ 20 characters)';
    text.value = line.text;
    text.addEventListener('input', () => { line.text = text.value; draw(); });
    const color = document.createElement('input');
    color.type = 'color';
    color.value = line.color;
    color.classList.toggle('auto', line.autoColor);
    color.title = line.autoColor ? 'colour: the model chooses (pick one to set it)' : 'text colour';
    color.addEventListener('input', () => { line.color = color.value; line.autoColor = false; color.classList.remove('auto'); });
    const font = document.createElement('select');
    for (const name of ['none'].concat(state.fonts)) {
      const o = document.createElement('option');
      o.value = name;
      o.textContent = name === 'none' ? 'any font' : name;
      font.appendChild(o);
    }
    font.value = line.font;
    font.addEventListener('change', () => { line.font = font.value; });
    const remove = document.createElement('button');
    remove.type = 'button';
    remove.textContent = '×';
    remove.title = 'remove this line';
    remove.addEventListener('click', (e) => {
      e.stopPropagation();
      state.lines.splice(i, 1);
      state.selected = Math.max(0, Math.min(state.selected, state.lines.length - 1));
      renderLines();
      draw();
    });
    const shape = document.createElement('span');
    shape.className = 'shape';
    shape.textContent = line.points ? 'position: ' + line.points.length + '-point shape' : 'position: automatic';
    li.append(swatch, text, color, font, remove, shape);
    ol.appendChild(li);
  });
  $('add-line').disabled = state.lines.length >= MAX_LINES;
}

// ---- canvas ----------------------------------------------------------------------------------------
function pictureSize() {
  if (state.mode === 'edit' && state.image) return [state.image.naturalWidth, state.image.naturalHeight];
  return [Number($('width').value), Number($('height').value)];
}

function resizeCanvas() {
  const [w, h] = pictureSize();
  if (maskCanvas.width !== w || maskCanvas.height !== h) {
    maskCanvas.width = w;
    maskCanvas.height = h;
    state.brushUsed = false;
  }
  // the canvas is drawn at display resolution (up to 512 × 640); shapes are kept in picture pixels
  state.k = Math.min(512 / w, 640 / h);
  canvas.width = Math.round(w * state.k);
  canvas.height = Math.round(h * state.k);
  draw();
}

function draw() {
  const k = state.k || 1;
  const [w, h] = pictureSize();
  ctx.clearRect(0, 0, canvas.width, canvas.height);
  if (state.mode === 'edit' && state.image) {
    ctx.drawImage(state.image, 0, 0, canvas.width, canvas.height);
  } else {
    ctx.fillStyle = '#f0f1f4';
    ctx.fillRect(0, 0, canvas.width, canvas.height);
    ctx.strokeStyle = '#dde0e6';
    for (let x = 64; x < w; x += 64) { ctx.beginPath(); ctx.moveTo(Math.round(x * k) + 0.5, 0); ctx.lineTo(Math.round(x * k) + 0.5, canvas.height); ctx.stroke(); }
    for (let y = 64; y < h; y += 64) { ctx.beginPath(); ctx.moveTo(0, Math.round(y * k) + 0.5); ctx.lineTo(canvas.width, Math.round(y * k) + 0.5); ctx.stroke(); }
  }
  if (state.mode === 'edit' && state.brushUsed) {
    ctx.globalAlpha = 0.45;
    ctx.drawImage(maskCanvas, 0, 0, canvas.width, canvas.height);
    ctx.globalAlpha = 1;
  }
  const path = (pts, close) => {
    ctx.beginPath();
    pts.forEach(([x, y], i) => (i ? ctx.lineTo(x * k, y * k) : ctx.moveTo(x * k, y * k)));
    if (close) ctx.closePath();
  };
  state.lines.forEach((line, i) => {
    if (!line.points) return;
    path(line.points, true);
    ctx.fillStyle = PALETTE[i] + '33';
    ctx.fill();
    ctx.lineWidth = i === state.selected ? 3 : 2;
    ctx.strokeStyle = PALETTE[i];
    ctx.stroke();
    ctx.fillStyle = PALETTE[i];
    ctx.font = '13px sans-serif';
    ctx.fillText((i + 1) + ': ' + (line.text || '…'), line.points[0][0] * k + 5, line.points[0][1] * k + 16);
  });
  const pts = state.drag ? rectPoints(state.drag.x0, state.drag.y0, state.drag.x1, state.drag.y1) : state.pending;
  if (pts.length) {
    path(pts, !!state.drag);
    ctx.setLineDash([6, 4]);
    ctx.lineWidth = 2;
    ctx.strokeStyle = PALETTE[state.selected] || '#000';
    ctx.stroke();
    ctx.setLineDash([]);
  }
}

function rectPoints(x0, y0, x1, y1) {
  const [a, b, c, d] = [Math.min(x0, x1), Math.min(y0, y1), Math.max(x0, x1), Math.max(y0, y1)];
  return [[a, b], [c, b], [c, d], [a, d]];
}

/** Picture pixel under the mouse (the canvas may be shown smaller than its own size). */
function toPicture(e) {
  const [w, h] = pictureSize();
  const r = canvas.getBoundingClientRect();
  const x = Math.round((e.clientX - r.left) * w / r.width);
  const y = Math.round((e.clientY - r.top) * h / r.height);
  return [Math.max(0, Math.min(w, x)), Math.max(0, Math.min(h, y))];
}

function setShape(points) {
  if (!state.lines.length) addLine('');
  state.lines[state.selected].points = points;
  renderLines();
  draw();
}

function paint(x, y) {
  const m = maskCanvas.getContext('2d');
  m.fillStyle = '#ffffff';
  m.beginPath();
  m.arc(x, y, Math.max(6, maskCanvas.width / 40), 0, 2 * Math.PI);
  m.fill();
  state.brushUsed = true;
  draw();
}

canvas.addEventListener('mousedown', (e) => {
  const [x, y] = toPicture(e);
  if (tool() === 'rect') state.drag = { x0: x, y0: y, x1: x, y1: y };
  else if (tool() === 'brush') { state.painting = true; paint(x, y); }
});
canvas.addEventListener('mousemove', (e) => {
  const [x, y] = toPicture(e);
  if (state.drag) { state.drag.x1 = x; state.drag.y1 = y; draw(); }
  else if (state.painting) paint(x, y);
});
window.addEventListener('mouseup', () => {
  state.painting = false;
  if (!state.drag) return;
  const d = state.drag;
  state.drag = null;
  if (Math.abs(d.x1 - d.x0) >= 4 && Math.abs(d.y1 - d.y0) >= 4) setShape(rectPoints(d.x0, d.y0, d.x1, d.y1));
  else draw();
});
canvas.addEventListener('click', (e) => {
  if (tool() !== 'poly') return;
  state.pending.push(toPicture(e));
  draw();
});
canvas.addEventListener('dblclick', () => {
  if (tool() !== 'poly') return;
  const pts = state.pending.slice(0, -1); // the double click added its point twice
  state.pending = [];
  if (pts.length >= 3) setShape(pts);
  else draw();
});

// ---- request ---------------------------------------------------------------------------------------
function hexToRgb(hex) {
  const v = parseInt(hex.slice(1), 16);
  return [(v >> 16) & 255, (v >> 8) & 255, v & 255].join(',');
}

/** White areas on black at the picture size: the brush strokes plus every line's shape. */
function maskDataUrl() {
  const c = document.createElement('canvas');
  c.width = maskCanvas.width;
  c.height = maskCanvas.height;
  const m = c.getContext('2d');
  m.fillStyle = '#000';
  m.fillRect(0, 0, c.width, c.height);
  m.drawImage(maskCanvas, 0, 0);
  m.fillStyle = '#fff';
  for (const line of state.lines) {
    if (!line.points) continue;
    m.beginPath();
    line.points.forEach(([x, y], k) => (k ? m.lineTo(x, y) : m.moveTo(x, y)));
    m.closePath();
    m.fill();
  }
  return c.toDataURL('image/png');
}

function buildRequest() {
  const req = { prompt: $('prompt').value, steps: Number($('steps').value), seed: Number($('seed').value),
    count: Number($('count').value), cfg: Number($('cfg').value), lines: [] };
  const useMask = state.mode === 'edit' && state.brushUsed;
  for (const line of state.lines) {
    if (!line.text.trim()) continue;
    const l = { text: line.text };
    if (line.points && !useMask) l.position = line.points.flat();
    if (line.font !== 'none') l.font = line.font;
    if (!line.autoColor) l.color = hexToRgb(line.color);
    req.lines.push(l);
  }
  if (state.mode === 'edit') {
    if (!state.imageData) throw new Error('choose a picture to edit');
    req.image = state.imageData;
    if (useMask) req.mask = maskDataUrl();
  } else {
    req.width = Number($('width').value);
    req.height = Number($('height').value);
  }
  return req;
}

async function run() {
  let req;
  try { req = buildRequest(); } catch (e) { setStatus(e.message, true); return; }
  $('run').disabled = true;
  $('progress').value = 0;
  setStatus('sending…');
  try {
    const res = await fetch('api/' + state.mode + '?async=1', { method: 'POST', headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(req) });
    const body = await res.json();
    if (res.status !== 202) throw new Error(body.error || ('HTTP ' + res.status));
    state.job = body.id;
    $('cancel').disabled = false;
    poll();
  } catch (e) {
    setStatus(e.message, true);
    $('run').disabled = false;
  }
}

async function poll() {
  const id = state.job;
  if (!id) return;
  try {
    const res = await fetch('api/jobs/' + id);
    const job = await res.json();
    if (!res.ok) throw new Error(job.error || ('HTTP ' + res.status));
    $('progress').value = job.total ? job.step / job.total : 0;
    if (job.status === 'queued') setStatus('waiting for a worker…');
    else if (job.status === 'running') setStatus('step ' + job.step + ' of ' + job.total + ' (' + (job.elapsed_ms / 1000).toFixed(1) + ' s)');
    else { finish(job); return; }
    state.poll = setTimeout(poll, 400);
  } catch (e) {
    setStatus(e.message, true);
    endJob();
  }
}

function finish(job) {
  endJob();
  checkHealth();
  if (job.status !== 'done') { setStatus(job.status.replace('_', ' ') + ': ' + (job.error || ''), job.status !== 'cancelled'); return; }
  const r = job.result;
  $('progress').value = 1;
  setStatus('done: seed ' + r.seed + ', ' + r.steps + ' steps, ' + (r.timings.total_ms / 1000).toFixed(1) + ' s on ' + r.provider);
  const gallery = $('gallery');
  const empty = gallery.querySelector('.empty');
  if (empty) empty.remove();
  r.images.forEach((_, k) => {
    const href = 'api/jobs/' + job.id + '/images/' + (k + 1);
    const fig = document.createElement('figure');
    const img = document.createElement('img');
    img.src = 'data:image/png;base64,' + r.images[k];
    img.alt = 'result ' + (k + 1) + ' of seed ' + r.seed;
    const cap = document.createElement('figcaption');
    const a = document.createElement('a');
    a.href = img.src;
    a.download = 'anytext2-' + r.seed + '-' + (k + 1) + '.png';
    a.textContent = 'Download';
    const side = document.createElement('a');
    side.href = URL.createObjectURL(new Blob([JSON.stringify(r.request, null, 2)], { type: 'application/json' }));
    side.download = 'anytext2-' + r.seed + '.json';
    side.textContent = 'request JSON';
    cap.append('seed ' + r.seed + ' · ', a, ' · ', side);
    cap.title = href;
    fig.append(img, cap);
    gallery.prepend(fig);
  });
}

function endJob() {
  clearTimeout(state.poll);
  state.job = null;
  $('run').disabled = false;
  $('cancel').disabled = true;
}

async function cancel() {
  if (!state.job) return;
  await fetch('api/jobs/' + state.job, { method: 'DELETE' });
  setStatus('cancelling…');
}

// ---- page setup ------------------------------------------------------------------------------------
function setMode(mode) {
  state.mode = mode;
  document.querySelectorAll('.edit-only').forEach((el) => (el.hidden = mode !== 'edit'));
  document.querySelectorAll('.generate-only').forEach((el) => (el.hidden = mode === 'edit'));
  $('run').textContent = mode === 'edit' ? 'Edit' : 'Generate';
  $('hint').textContent = mode === 'edit'
    ? 'Mark the areas to rewrite: a shape per line, or paint with the mask brush (lines then fill the painted areas top-down).'
    : 'Drag a rectangle (or click polygon points, double-click to close) for the selected line; lines without a shape are placed automatically.';
  if (mode !== 'edit' && tool() === 'brush') document.querySelector('input[name=tool][value=rect]').checked = true;
  resizeCanvas();
}

// the size selects start at the model's native size (health's native_size), unless the user already
// picked a size or drew a shape (shapes are in picture pixels)
function useNativeSize(side) {
  if (state.sizeChosen || !side || side % 64 !== 0 || side > 1024) return;
  state.sizeChosen = true;
  if (state.lines.some((l) => l.points)) return;
  $('width').value = side;
  $('height').value = side;
  resizeCanvas();
}

async function checkHealth() {
  const badge = $('health');
  try {
    const res = await fetch('health');
    const h = await res.json();
    badge.textContent = h.status === 'ready' ? h.model + ' · ' + h.provider + ' · ' + h.running + ' running, ' + h.queued + ' queued'
      : h.status + (h.error ? ': ' + h.error : '');
    badge.className = 'badge ' + (res.ok ? 'ok' : 'bad');
    if (res.ok && !state.fonts.length) loadFonts();
    if (res.ok) useNativeSize(h.native_size);
  } catch (e) {
    badge.textContent = 'offline';
    badge.className = 'badge bad';
  }
}

async function loadFonts() {
  const res = await fetch('api/fonts');
  if (!res.ok) return;
  state.fonts = (await res.json()).fonts;
  renderLines();
}

for (const id of ['width', 'height']) {
  for (let v = 64; v <= 1024; v += 64) {
    const o = document.createElement('option');
    o.value = v;
    o.textContent = v;
    $(id).appendChild(o);
  }
  $(id).value = 512;
  $(id).addEventListener('change', () => { state.sizeChosen = true; resizeCanvas(); });
}
document.querySelectorAll('input[name=mode]').forEach((r) => r.addEventListener('change', () => setMode(r.value)));
$('image').addEventListener('change', () => {
  const file = $('image').files[0];
  if (!file) return;
  const reader = new FileReader();
  reader.onload = () => {
    state.imageData = reader.result;
    const img = new Image();
    img.onload = () => { state.image = img; resizeCanvas(); };
    img.src = reader.result;
  };
  reader.readAsDataURL(file);
});
$('add-line').addEventListener('click', () => addLine(''));
$('clear').addEventListener('click', () => {
  state.pending = [];
  if (state.lines[state.selected]) state.lines[state.selected].points = null;
  maskCanvas.getContext('2d').clearRect(0, 0, maskCanvas.width, maskCanvas.height);
  state.brushUsed = false;
  renderLines();
  draw();
});
$('run').addEventListener('click', run);
$('cancel').addEventListener('click', cancel);
addLine('FRESH');
addLine('BREAD');
state.selected = 0;
renderLines();
setMode('generate');
checkHealth();
setInterval(checkHealth, 5000);
