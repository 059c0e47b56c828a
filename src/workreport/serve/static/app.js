// workreport serve: the page's own script (no library).  It sends the form's answers to the
// local server after each change and shows what the server's checks found; no rule is here.
// While an input method is composing a word (compositionstart … compositionend) nothing is
// sent and nothing on the page is redrawn.
"use strict";
(() => {
  const meta = (name) => document.querySelector(`meta[name="${name}"]`).content;
  const token = meta("workreport-token");
  let version = meta("workreport-version");
  const form = document.getElementById("facts");
  const root = form.querySelector(":scope > [data-kind]");
  const statusLine = document.getElementById("status");
  let composing = false, inFlight = false, again = false, held = null, applied = 0;

  const dotted = (path) => path.reduce((out, p) => typeof p === "number" ? `${out}[${p}]` : (out ? `${out}.${p}` : p), "");
  const parentKey = (key) => key.replace(/(\.[^.[\]]+|\[\d+\]|^[^.[\]]+)$/, "");

  // The answers, as nested groups, lists and texts; on the way, every field gets the id of its key path.
  function collect(el, path) {
    const id = dotted(path);
    const own = (sel) => el.querySelector(`:scope > ${sel}`);
    if (own(".findings")) own(".findings").id = `m-${id}`;
    if (own(".help")) own(".help").id = `h-${id}`;
    const kind = el.dataset.kind;
    if (kind === "object" || kind === "list") {
      el.id = `f-${id}`;
      let out, empty;
      if (kind === "object") {
        out = {};
        for (const child of own(".children").children) out[child.dataset.key] = collect(child, [...path, child.dataset.key]);
        empty = Object.values(out).every((v) => v === null);
      } else {
        out = [...own(".items").children].map((item, i) => {
          const child = item.querySelector(":scope > [data-kind]");
          const label = child.querySelector(":scope > .item-label");
          if (label && label.textContent !== `第 ${i + 1} 项`) label.textContent = `第 ${i + 1} 项`;
          return collect(child, [...path, i]);
        });
        empty = out.length === 0;
      }
      const unfilled = el.hasAttribute("data-unfilled") && empty;
      el.classList.toggle("unfilled", unfilled);
      return unfilled ? "待填" : (kind === "list" && empty ? null : out);
    }
    const input = own(".value");
    input.id = `f-${id}`;
    own("label").htmlFor = input.id;
    el.classList.toggle("unfilled", input.value.trim() === "待填");
    return input.value.trim() === "" ? null : input.value;
  }

  function post(url, body) {
    return fetch(url, {method: "POST", headers: {"Content-Type": "application/json", "X-Workreport-Token": token},
                       body: JSON.stringify(body)});
  }

  // A JSON answer; an error's message (JSON or the server's plain text) is thrown, to be shown in the status line.
  async function answer(response) {
    const text = await response.text();
    let result = null;
    try { result = JSON.parse(text); } catch (e) { /* a refusal in plain text */ }
    if (!response.ok) throw new Error((result && result.message) || text);
    return result;
  }

  const offline = "无法连接程序：请确认命令行窗口中的 workreport serve 仍在运行，然后重新载入页面";
  const fail = (e) => say(e instanceof TypeError ? offline : e.message, true);

  function check() {
    if (composing) return;
    if (inFlight) { again = true; return; }
    inFlight = true;
    document.body.dataset.busy = "1";  // 检查中 (the tests wait for it to go)
    const data = collect(root, []);
    post("/api/check", {data})
      .then(answer)
      .then((result) => { if (composing) held = result; else show(result); })
      // The preview comes after the findings are on screen, and only for the latest answers.
      .then(() => again || composing ? null : post("/api/preview", {data}).then(answer))
      .then((result) => { if (result && !composing) showPreview(result); })
      .catch(fail)
      .finally(() => {
        inFlight = false;
        if (again) { again = false; check(); } else delete document.body.dataset.busy;
      });
  }

  function showPreview(result) {
    document.getElementById("preview-body").innerHTML = result.preview;
    document.body.dataset.previewed = String(Number(document.body.dataset.previewed || 0) + 1);
  }

  // The field a finding names: its own, or the nearest group or list that holds it.
  function fieldFor(key) {
    for (let k = key; ; k = parentKey(k)) {
      const el = document.getElementById(`f-${k}`);
      if (el) return el;
      if (!k) return null;
    }
  }

  function focusField(el) {
    const target = el.matches(".value") ? el : el.querySelector(".value");
    if (!target) return;
    target.scrollIntoView({block: "center"});
    target.focus();
  }

  let marked = [];  // the fields and slots the last findings were put on: only they are cleared

  function show(result) {
    for (const [el, slot] of marked) {
      slot.replaceChildren();
      const help = (el.getAttribute("aria-describedby") || "").split(" ").filter((id) => id.startsWith("h-"));
      help.length ? el.setAttribute("aria-describedby", help.join(" ")) : el.removeAttribute("aria-describedby");
    }
    marked = [];
    const list = document.getElementById("finding-list");
    list.replaceChildren();
    result.findings.forEach((f, n) => {
      const text = `${f.label}${f.code ? " " + f.code : ""}：${f.message}${f.where ? "（" + f.where + "）" : ""}`;
      for (const key of f.keys) {
        const el = fieldFor(key);
        if (!el) continue;
        const holder = el.matches(".value") ? el.parentElement : el;
        const slot = holder.querySelector(":scope > .findings");
        if (!slot) continue;
        const note = document.createElement("p");
        note.className = `finding ${f.severity}`;
        note.id = `${slot.id}-${n}`;
        note.textContent = text;
        slot.append(note);
        marked.push([el, slot]);
        const described = (el.getAttribute("aria-describedby") || "").split(" ").filter(Boolean);
        el.setAttribute("aria-describedby", [...described, note.id].join(" "));
      }
      const item = document.createElement("li");
      const button = document.createElement("button");
      button.type = "button";
      button.className = `finding ${f.severity}`;
      button.textContent = text;
      button.addEventListener("click", () => { const el = fieldFor(f.keys[0] ?? ""); if (el) focusField(el); });
      item.append(button);
      list.append(item);
    });
    document.getElementById("summary").textContent = result.summary;
    document.body.dataset.checked = String(++applied);
  }

  function say(text, alert = false) {
    statusLine.textContent = text;
    statusLine.className = alert ? "alert" : "";
  }

  form.addEventListener("compositionstart", () => { composing = true; });
  form.addEventListener("compositionend", () => {
    composing = false;
    if (held) { const result = held; held = null; show(result); }
    check();
  });
  form.addEventListener("input", (e) => { if (!e.isComposing && !composing) check(); });
  form.addEventListener("change", (e) => { if (e.target.matches("select")) check(); });
  form.addEventListener("focusin", (e) => { if (e.target.matches("input.value") && e.target.value.trim() === "待填") e.target.select(); });
  form.addEventListener("click", (e) => {
    const add = e.target.closest("button.add"), remove = e.target.closest("button.remove");
    if (add) {
      const list = add.closest("[data-kind=list]");
      const item = list.querySelector(":scope > template").content.firstElementChild.cloneNode(true);
      list.querySelector(":scope > .items").append(item);
      collect(root, []);
      const first = item.querySelector(".value");
      if (first) first.focus();
      check();
    } else if (remove) {
      const list = remove.closest("[data-kind=list]");
      remove.closest(".item").remove();
      collect(root, []);
      (list.querySelector(".value") || list.querySelector("button.add")).focus();
      check();
    }
  });
  document.getElementById("preview-body").addEventListener("click", (e) => {
    const link = e.target.closest("a.fig");
    if (!link) return;
    e.preventDefault();
    const el = fieldFor(link.dataset.key);
    if (el) focusField(el);
  });

  document.getElementById("save").addEventListener("click", async () => {
    try {
      const result = await answer(await post("/api/save", {data: collect(root, []), version}));
      version = result.version;
      say(result.message);
    } catch (e) {
      fail(e);
    }
  });

  for (const button of document.querySelectorAll("button.download")) {
    button.addEventListener("click", async () => {
      say("正在生成…");
      let response;
      try {
        response = await post(`/api/download/${button.dataset.what}`, {data: collect(root, [])});
        if (!response.ok) await answer(response);
      } catch (e) {
        fail(e);
        return;
      }
      const disposition = response.headers.get("Content-Disposition") || "";
      const name = decodeURIComponent((disposition.match(/filename\*=UTF-8''(.+)$/) || [, "report"])[1]);
      const link = document.createElement("a");
      link.href = URL.createObjectURL(await response.blob());
      link.download = name;
      document.body.append(link);
      link.click();
      link.remove();
      setTimeout(() => URL.revokeObjectURL(link.href), 10000);
      say(`已下载：${name}`);
    });
  }

  check();
})();
