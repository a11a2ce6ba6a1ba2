/// The page at `/sim/`: act as the user in Outlook (open a mailbox, read a body, flag, move, delete, send new mail;
/// create, rename, move and delete folders) through the control API, and watch Mailpulse react.
enum SimulatorPage {
    static let html = """
        <!doctype html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <title>graph-sim: act as the user</title>
        <style>
        body { font-family: system-ui, sans-serif; margin: 1.5rem; }
        table { border-collapse: collapse; width: 100%; }
        td, th { border-bottom: 1px solid #ddd; padding: .3rem .5rem; text-align: left; font-size: .9rem; }
        tr.unread td.subject { font-weight: bold; }
        form { display: inline; }
        .bar { margin: .8rem 0; }
        #error { color: #b00; }
        </style>
        </head>
        <body>
        <h1>graph-sim</h1>
        <p>Acts as the user in Outlook: every change here goes through the control API and notifies subscribers.</p>
        <div class="bar">
          <label>Mailbox <select id="mailbox"></select></label>
          <form id="create"><input name="address" placeholder="new@outlook.com" required> <input name="messages" type="number" value="20" min="0" max="100000"> <button>Create mailbox</button></form>
        </div>
        <div class="bar">
          <form id="send"><label>Folder <select name="folder" id="folder"></select></label> <input name="subject" placeholder="Subject" required> <input name="from" placeholder="sender@example.com" value="sender@example.com"> <button>Deliver new mail</button></form>
        </div>
        <div class="bar">
          <form id="newfolder"><input name="displayName" placeholder="Folder name" required maxlength="255"> <label>in <select name="parent" id="parent"></select></label> <button>Create folder</button></form>
        </div>
        <p id="error"></p>
        <h2>Folders</h2>
        <table><thead><tr><th>Folder</th><th>Messages</th><th></th></tr></thead><tbody id="folders"></tbody></table>
        <h2>Messages</h2>
        <table><thead><tr><th>Subject</th><th>From</th><th>Folder</th><th>Flag</th><th>Received</th><th></th></tr></thead><tbody id="messages"></tbody></table>
        <script type="module">
        const $ = (id) => document.getElementById(id);
        let folders = [];
        async function call(method, path, body) {
          const response = await fetch(path, { method, headers: { "Content-Type": "application/json" }, body: body ? JSON.stringify(body) : undefined });
          if (!response.ok) { const text = await response.text(); $("error").textContent = `${method} ${path}: ${response.status} ${text}`; throw new Error(text); }
          $("error").textContent = "";
          return response.status === 204 ? null : response.json();
        }
        function cell(text) { const td = document.createElement("td"); td.textContent = text; return td; }
        function button(label, action) { const b = document.createElement("button"); b.textContent = label; b.onclick = action; return b; }
        async function loadMailboxes(select) {
          const list = await call("GET", "/sim/mailboxes");
          $("mailbox").replaceChildren(...list.map((m) => new Option(`${m.address} (${m.messages})`, m.id)));
          if (select) $("mailbox").value = select;
          await refresh();
        }
        async function refresh() {
          const id = $("mailbox").value;
          if (!id) { $("messages").replaceChildren(); return; }
          const state = await call("GET", `/sim/mailboxes/${id}/state`);
          const byID = new Map(state.folders.map((f) => [f.id, f]));
          const path = (f) => (byID.has(f.parentFolderId) ? `${path(byID.get(f.parentFolderId))} / ` : "") + f.displayName;
          folders = state.folders.map((f) => ({ ...f, path: path(f) })).sort((a, b) => a.path.localeCompare(b.path));
          const name = (folderId) => (folders.find((f) => f.id === folderId) || {}).path || folderId;
          $("folder").replaceChildren(...folders.map((f) => new Option(f.path, f.id)));
          $("parent").replaceChildren(new Option("(top level)", ""), ...folders.map((f) => new Option(f.path, f.id)));
          $("folders").replaceChildren(...folders.map((f) => {
            const row = document.createElement("tr");
            row.dataset.folderId = f.id;
            const actions = document.createElement("td");
            // Standard folders keep their names and places.
            if (!f.wellKnownName) {
              const move = document.createElement("select");
              move.append(new Option("Move to…", ""), new Option("(top level)", "msgfolderroot"), ...folders.filter((d) => d.id !== f.id && d.id !== f.parentFolderId).map((d) => new Option(d.path, d.id)));
              move.onchange = () => move.value && act("PATCH", `/folders/${f.id}`, { parentFolderId: move.value });
              actions.append(
                button("Rename", () => { const displayName = prompt("New name", f.displayName); if (displayName) act("PATCH", `/folders/${f.id}`, { displayName }); }),
                move,
                button("Delete", () => act("DELETE", `/folders/${f.id}`)));
            }
            row.append(cell(f.path), cell(state.messages.filter((m) => m.folderId === f.id).length), actions);
            return row;
          }));
          $("messages").replaceChildren(...state.messages.slice(0, 200).map((m) => {
            const row = document.createElement("tr");
            row.className = m.isRead ? "read" : "unread";
            row.dataset.messageId = m.id;
            const subject = cell(m.subject); subject.className = "subject";
            const move = document.createElement("select");
            move.append(new Option("Move to…", ""), ...folders.filter((f) => f.id !== m.folderId).map((f) => new Option(f.path, f.id)));
            move.onchange = () => move.value && act("POST", `/messages/${m.id}/move`, { destination: move.value });
            const actions = document.createElement("td");
            // The body opens as plain text from the control API: HTML shows as source and never runs.
            const body = document.createElement("a");
            body.href = `/sim/mailboxes/${encodeURIComponent(id)}/messages/${encodeURIComponent(m.id)}/body`;
            body.target = "_blank";
            body.rel = "noopener";
            body.textContent = m.attachments.length ? `Body (${m.attachments.length} attachment${m.attachments.length > 1 ? "s" : ""})` : "Body";
            actions.append(
              body,
              button(m.isRead ? "Mark unread" : "Mark read", () => act("PATCH", `/messages/${m.id}`, { isRead: !m.isRead })),
              button(m.flag === "flagged" ? "Complete" : "Flag", () => act("PATCH", `/messages/${m.id}`, { flag: m.flag === "flagged" ? "complete" : "flagged" })),
              move,
              button("Delete", () => act("DELETE", `/messages/${m.id}`)));
            row.append(subject, cell(`${m.from.name} <${m.from.address}>`), cell(name(m.folderId)), cell(m.flag), cell(m.receivedDateTime), actions);
            return row;
          }));
        }
        async function act(method, suffix, body) { await call(method, `/sim/mailboxes/${$("mailbox").value}${suffix}`, body); await loadMailboxes($("mailbox").value); }
        $("mailbox").onchange = refresh;
        $("create").onsubmit = async (event) => {
          event.preventDefault();
          const form = new FormData(event.target);
          const created = await call("POST", "/sim/mailboxes", { address: form.get("address"), messages: Number(form.get("messages")), seed: Date.now() % 100000 });
          await loadMailboxes(created.id);
        };
        $("send").onsubmit = async (event) => {
          event.preventDefault();
          const form = new FormData(event.target);
          await act("POST", "/messages", { folder: form.get("folder"), subject: form.get("subject"), from: { name: form.get("from"), address: form.get("from") } });
        };
        $("newfolder").onsubmit = async (event) => {
          event.preventDefault();
          const form = new FormData(event.target);
          const body = { displayName: form.get("displayName") };
          if (form.get("parent")) body.parentFolderId = form.get("parent");
          await act("POST", "/folders", body);
          event.target.reset();
        };
        loadMailboxes();
        </script>
        </body>
        </html>
        """
}
