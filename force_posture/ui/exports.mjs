export default function (component) {
  const { parentElement, data } = component;
  const status = parentElement.querySelector(".fp-export-status");
  const buttons = parentElement.querySelectorAll(".fp-exports button");
  const fail = (message) => {
    status.className = "fp-export-status fp-error";
    status.textContent = message;
  };
  parentElement.querySelector(".fp-export-note").textContent = data.note;
  if (data.unavailable) {
    buttons.forEach((button) => { button.disabled = true; });
    fail(data.unavailable);
    return;
  }
  buttons.forEach((button) => {
    const fmt = button.dataset.fmt;
    button.onclick = async () => {
      button.disabled = true;
      button.classList.add("fp-busy");
      status.className = "fp-export-status";
      status.textContent = `Making the ${button.textContent}...`;
      try {
        const response = await fetch(data.urls[fmt], { credentials: "same-origin", cache: "no-store" });
        if (!response.ok) throw new Error(await response.text());
        const type = (response.headers.get("content-type") || "").split(";")[0].trim();
        if (type !== data.types[fmt]) throw new Error(data.wrongType.replace("{type}", type || "nothing"));
        const link = document.createElement("a");
        link.href = URL.createObjectURL(await response.blob());
        link.download = data.names[fmt];
        document.body.appendChild(link);
        link.click();
        setTimeout(() => { URL.revokeObjectURL(link.href); link.remove(); }, 60000);
        status.textContent = "";
      } catch (error) {
        fail((error && error.message && error.message.trim()) ||
          "The export did not reach the server; check the connection and click again.");
      } finally {
        button.disabled = false;
        button.classList.remove("fp-busy");
      }
    };
  });
}
