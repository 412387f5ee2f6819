// A checkpoint screen: the mat's latest passings, bib (or chip) and time of day, newest on top, and the count.
"use strict";
const unit = location.pathname.split("/").filter(Boolean)[1];

function draw(screen) {
  document.getElementById("mat").textContent = (screen.mat ?? "unit " + screen.unit);
  document.getElementById("count").textContent = screen.count;
  const list = document.getElementById("passings");
  list.replaceChildren(...screen.latest.map(p => {
    const li = document.createElement("li");
    const who = document.createElement("span");
    who.className = p.bib ? "who bib" : "who chip";
    who.textContent = p.shown;
    const when = document.createElement("span");
    when.className = "when";
    when.textContent = p.time_of_day;
    li.append(who, when);
    return li;
  }));
  document.getElementById("state").textContent = "unit " + screen.unit + ", " + screen.count + " passing(s), updated " + new Date().toLocaleTimeString();
}

// The screen the page came with (drawn before the page counts as loaded), then every passing as it comes.
draw(window.initialPicture);
window.addEventListener("load", () => {
  const events = new EventSource("/mat/" + unit + "/events");
  events.onmessage = e => draw(JSON.parse(e.data));
  events.onerror = () => { document.getElementById("state").textContent = "connection to the monitor lost: retrying…"; };
});
