// The fleet page: draws the monitor's picture from /api/fleet, then from every Server-Sent Event of /events.
"use strict";
const text = (tag, value, cls) => { const e = document.createElement(tag); e.textContent = value; if (cls) e.className = cls; return e; };
const num = (v, digits) => v === null || v === undefined ? "-" : Number(v).toFixed(digits);

function row(u) {
  const tr = document.createElement("tr");
  tr.id = "unit-" + u.unit;
  const highlighted = u.alarms.some(a => a.active && !a.acknowledged);
  if (highlighted) tr.className = "alarm"; else if (u.alarms.length > 0) tr.className = "seen";
  const cells = [
    u.unit, u.mat ?? "-", u.offline ? "OFFLINE" : u.seconds_since_seen === null ? "never" : num(u.seconds_since_seen, 0) + " s",
    u.battery_percent === null ? "-" : u.battery_percent + " %",
    u.fix === null ? "-" : u.fix ? (u.satellites === null ? "fix" : u.satellites + " sat") : "NO FIX",
    u.clock_state ?? "-", num(u.clock_offset_ms, 3), u.readers === 0 ? "-" : u.readers_reading + "/" + u.readers,
    num(u.reads_per_second, 0), u.backlog, u.journal_fill_percent === null ? "-" : num(u.journal_fill_percent, 1) + " %",
    u.mode ?? "-", u.passings_seen];
  cells.forEach(c => tr.appendChild(text("td", String(c))));
  const link = document.createElement("a");
  link.href = "/mat/" + u.unit; link.textContent = tr.children[1].textContent; link.style.color = "inherit";
  tr.children[1].textContent = ""; tr.children[1].appendChild(link);
  return tr;
}

function alarm(a) {
  const li = document.createElement("li");
  li.className = a.acknowledged ? "acknowledged" : a.active ? "active" : "cleared";
  li.dataset.unit = a.unit; li.dataset.kind = a.kind;
  const raised = new Date(a.raised_utc).toLocaleTimeString();
  const cleared = a.cleared_utc ? ", cleared " + new Date(a.cleared_utc).toLocaleTimeString() : "";
  li.appendChild(text("span", "unit " + a.unit + " " + a.kind + ": " + a.detail + " (raised " + raised + cleared + ")" + (a.active ? " STANDING" : " cleared")));
  if (!a.acknowledged) {
    const b = text("button", "Acknowledge");
    b.type = "button";
    b.onclick = () => ack({ unit: a.unit, kind: a.kind });
    li.appendChild(b);
  }
  return li;
}

function draw(fleet) {
  const body = document.querySelector("#units tbody");
  body.replaceChildren(...fleet.units.map(row));
  const list = document.getElementById("alarms");
  list.replaceChildren(...(fleet.alarms.length ? fleet.alarms.map(alarm) : [text("li", "No alarms.", "none")]));
  const standing = fleet.alarms.filter(a => a.active).length;
  document.getElementById("state").textContent = fleet.units.length + " unit(s), " + standing + " alarm(s) standing, updated " + new Date(fleet.taken_utc).toLocaleTimeString();
  document.title = (standing ? "(" + standing + ") " : "") + "TimingMat monitor";
}

function ack(body) {
  fetch("/api/ack", { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) });
}

document.getElementById("ack-all").onclick = () => ack({ all: true });
// The picture the page came with (drawn before the page counts as loaded), then every change as it happens.
draw(window.initialPicture);
window.addEventListener("load", () => {
  const events = new EventSource("/events");
  events.onmessage = e => draw(JSON.parse(e.data));
  events.onerror = () => { document.getElementById("state").textContent = "connection to the monitor lost: retrying…"; };
});
