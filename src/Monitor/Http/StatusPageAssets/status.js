// Draws the Monitor status page from GET /v2/status: one card per model with canvas line charts of
// request rate, latency quantiles and rolling accuracy, and bars of the predicted-class share.
"use strict";

const REFRESH_MILLISECONDS = 3000;
const COLORS = ["#2563eb", "#db2777", "#16a34a", "#ea580c", "#7c3aed", "#0891b2", "#ca8a04", "#4b5563", "#dc2626", "#65a30d"];

function element(tag, attributes, children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes || {})) {
    node.setAttribute(name, value);
  }
  for (const child of children || []) {
    node.append(child);
  }
  return node;
}

function formatNumber(value, digits) {
  return value === null || value === undefined ? "n/a" : Number(value).toFixed(digits);
}

function prepareCanvas(canvas) {
  const ratio = window.devicePixelRatio || 1;
  const width = canvas.clientWidth || 300;
  const height = canvas.clientHeight || 160;
  canvas.width = Math.round(width * ratio);
  canvas.height = Math.round(height * ratio);
  const context = canvas.getContext("2d");
  context.scale(ratio, ratio);
  context.clearRect(0, 0, width, height);
  context.font = "11px system-ui, sans-serif";
  return { context, width, height };
}

// Draws series of {time, value} points; null values leave a gap. yMax fixes the top of the axis.
function drawLines(canvas, series, yMax, format) {
  const { context, width, height } = prepareCanvas(canvas);
  const left = 44, right = 8, top = 8, bottom = 18;
  const points = series.flatMap(line => line.points.filter(point => point.value !== null));
  if (points.length === 0) {
    context.fillStyle = "#667085";
    context.fillText("no data yet", left, height / 2);
    return;
  }

  const times = series.flatMap(line => line.points.map(point => point.time));
  const minTime = Math.min(...times);
  const maxTime = Math.max(Math.max(...times), minTime + 1);
  const topValue = yMax !== null ? yMax : (Math.max(...points.map(point => point.value)) * 1.15) || 1;
  const x = time => left + (time - minTime) / (maxTime - minTime) * (width - left - right);
  const y = value => top + (1 - value / topValue) * (height - top - bottom);

  context.strokeStyle = "#e5e7eb";
  context.fillStyle = "#667085";
  for (let step = 0; step <= 4; step++) {
    const value = topValue * step / 4;
    context.beginPath();
    context.moveTo(left, y(value));
    context.lineTo(width - right, y(value));
    context.stroke();
    context.fillText(format(value), 2, y(value) + 4);
  }
  context.fillText(Math.round((maxTime - minTime) / 1000) + " s", width - right - 36, height - 4);

  series.forEach(line => {
    context.strokeStyle = line.color;
    context.lineWidth = 2;
    context.beginPath();
    let drawing = false;
    for (const point of line.points) {
      if (point.value === null) {
        drawing = false;
        continue;
      }
      if (drawing) {
        context.lineTo(x(point.time), y(point.value));
      } else {
        context.moveTo(x(point.time), y(point.value));
        drawing = true;
      }
    }
    context.stroke();

    // a point without a neighbour draws no line, so it gets a dot
    context.fillStyle = line.color;
    line.points.forEach((point, index) => {
      const before = line.points[index - 1];
      const after = line.points[index + 1];
      const isolated = (!before || before.value === null) && (!after || after.value === null);
      if (point.value !== null && isolated) {
        context.beginPath();
        context.arc(x(point.time), y(point.value), 3, 0, 2 * Math.PI);
        context.fill();
      }
    });
  });
}

// Draws one bar per class for the live share, with a thin mark at the reference profile's share.
function drawShares(canvas, shares, reference) {
  const { context, width, height } = prepareCanvas(canvas);
  const names = Object.keys(shares);
  if (names.length === 0) {
    context.fillStyle = "#667085";
    context.fillText("no classes", 8, height / 2);
    return;
  }

  const labelWidth = 80, right = 44;
  const rowHeight = Math.min(22, (height - 4) / names.length);
  names.forEach((name, index) => {
    const rowTop = 2 + index * rowHeight;
    const barWidth = (width - labelWidth - right) * shares[name];
    context.fillStyle = "#1d2330";
    context.fillText(name.slice(0, 12), 4, rowTop + rowHeight * 0.7);
    context.fillStyle = COLORS[index % COLORS.length];
    context.fillRect(labelWidth, rowTop + 2, Math.max(barWidth, 1), rowHeight - 4);
    context.fillStyle = "#667085";
    context.fillText((shares[name] * 100).toFixed(1) + "%", labelWidth + barWidth + 4, rowTop + rowHeight * 0.7);
    if (reference && reference[name] !== undefined) {
      const markX = labelWidth + (width - labelWidth - right) * reference[name];
      context.fillStyle = "#111827";
      context.fillRect(markX - 1, rowTop, 2, rowHeight);
    }
  });
}

function legend(entries) {
  return element("div", { class: "legend" }, entries.map(([label, color]) => {
    // a style property, not a style attribute, because the page's Content-Security-Policy blocks inline styles
    const swatch = element("i");
    swatch.style.background = color;
    return element("span", {}, [swatch, label]);
  }));
}

function chart(title, entries) {
  const canvas = element("canvas");
  return { canvas, node: element("div", { class: "chart" }, [element("h3", {}, [title]), canvas, legend(entries)]) };
}

function versionsTable(model) {
  const rows = model.versions.map(version => element("tr", {}, [
    element("td", {}, [version.version]),
    element("td", {}, [version.state]),
    element("td", {}, [version.provider || ""]),
    element("td", {}, [version.error || ""]),
  ]));
  const head = element("tr", {}, ["version", "state", "provider", "error"].map(name => element("th", {}, [name])));
  return element("table", { class: "versions" }, [head, ...rows]);
}

function renderModel(model) {
  const totals = model.window_totals;
  const badge = element("span", { class: "badge " + (model.ready ? "ready" : "not-ready") }, [model.ready ? "ready" : "not ready"]);
  const summary = element("span", { class: "detail" }, [
    (model.task || "") + (model.provider ? " on " + model.provider : "") +
    " | last 5 min: " + totals.requests + " requests, " + totals.errors + " errors, " +
    totals.feedback + " feedback, accuracy " + formatNumber(totals.accuracy, 4),
  ]);

  const rate = chart("Request rate (per second)", [["requests", COLORS[0]], ["errors", COLORS[8]]]);
  const latency = chart("Request latency (ms)", [["p50", COLORS[2]], ["p90", COLORS[3]], ["p99", COLORS[8]]]);
  const accuracy = chart("Accuracy from feedback (rolling minute)", [["accuracy", COLORS[4]]]);
  const shares = chart("Predicted class share (bars: live, marks: reference)", []);

  const card = element("section", { class: "model", "data-model": model.name }, [
    element("div", { class: "model-head" }, [element("h2", {}, [model.name]), badge, summary]),
    versionsTable(model),
    element("div", { class: "charts" }, [rate.node, latency.node, accuracy.node, shares.node]),
  ]);
  document.getElementById("models").append(card);

  const samples = model.samples;
  const pick = (name, scale) => samples.map(sample => ({
    time: sample.time,
    value: sample[name] === null ? null : sample[name] * scale,
  }));
  drawLines(rate.canvas, [
    { color: COLORS[0], points: pick("requests_per_second", 1) },
    { color: COLORS[8], points: pick("errors_per_second", 1) },
  ], null, value => value.toFixed(value < 10 ? 1 : 0));
  drawLines(latency.canvas, [
    { color: COLORS[2], points: pick("latency_p50_seconds", 1000) },
    { color: COLORS[3], points: pick("latency_p90_seconds", 1000) },
    { color: COLORS[8], points: pick("latency_p99_seconds", 1000) },
  ], null, value => value.toFixed(value < 10 ? 2 : 0));
  drawLines(accuracy.canvas, [{ color: COLORS[4], points: pick("accuracy", 1) }], 1, value => value.toFixed(2));
  drawShares(shares.canvas, model.class_share, model.reference_class_share);
}

function render(status) {
  const state = document.getElementById("server-state");
  state.textContent = status.ready ? "ready" : "not ready";
  state.className = "badge " + (status.ready ? "ready" : "not-ready");
  document.getElementById("server-detail").textContent =
    status.models.length + " models, up " + Math.round(status.uptime_seconds) + " s, updated " + new Date(status.time).toLocaleTimeString();

  const container = document.getElementById("models");
  container.replaceChildren();
  if (status.models.length === 0) {
    container.append(element("p", { class: "detail" }, ["No models in the repository."]));
  }
  status.models.forEach(renderModel);
}

async function refresh() {
  try {
    const response = await fetch("/v2/status", { cache: "no-store" });
    if (!response.ok) {
      throw new Error("GET /v2/status returned " + response.status);
    }
    render(await response.json());
  } catch (error) {
    const state = document.getElementById("server-state");
    state.textContent = "unreachable";
    state.className = "badge not-ready";
    document.getElementById("server-detail").textContent = String(error);
  } finally {
    setTimeout(refresh, REFRESH_MILLISECONDS);
  }
}

refresh();
