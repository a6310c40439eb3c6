// Small DOM helpers shared by the pages.

/** el("button", {class: "x", onclick: f}, "text", child...) */
export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === null || value === undefined || value === false) continue;
    if (name.startsWith("on")) node.addEventListener(name.slice(2), value);
    else if (name === "dataset") Object.assign(node.dataset, value);
    else node.setAttribute(name, value === true ? "" : value);
  }
  node.append(...children.filter((c) => c !== null && c !== undefined));
  return node;
}

export function saveBlob(blob, filename) {
  const url = URL.createObjectURL(blob);
  const link = el("a", { href: url, download: filename, hidden: true });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

export function showError(box, error) {
  box.hidden = !error;
  box.textContent = error ? error.message || String(error) : "";
}

export function formatBytes(bytes) {
  if (bytes == null) return "";
  const units = ["B", "KB", "MB", "GB"];
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit += 1;
  }
  return `${value.toFixed(unit ? 1 : 0)} ${units[unit]}`;
}

export function seconds(value) {
  const m = Math.floor(value / 60);
  const s = (value % 60).toFixed(1).padStart(4, "0");
  return `${m}:${s}`;
}

/**
 * Left/Right arrows move a highlighted "cursor" between items of `container` and Enter activates
 * it: the words of a long text stay one tab stop, yet every one is reachable from the keyboard.
 */
export function arrowNavigation(container, selector, activate) {
  let index = -1;
  container.addEventListener("keydown", (event) => {
    const items = container.querySelectorAll(selector);
    if (!items.length) return;
    if (event.key === "ArrowRight" || event.key === "ArrowLeft") {
      event.preventDefault();
      const current = container.querySelector(`${selector}.cursor`);
      index = current ? [...items].indexOf(current) : -1;
      index = Math.max(0, Math.min(items.length - 1, index + (event.key === "ArrowRight" ? 1 : -1)));
      current?.classList.remove("cursor");
      items[index].classList.add("cursor");
      items[index].scrollIntoView({ block: "nearest" });
    } else if (event.key === "Enter" || event.key === " ") {
      const current = container.querySelector(`${selector}.cursor`);
      if (current) {
        event.preventDefault();
        activate(current);
      }
    }
  });
}
