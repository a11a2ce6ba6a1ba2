// Lists the operations of /openapi.yaml and shows the document itself. The YAML is read line by line for the
// `paths:` block only (path keys at two spaces, methods at four, their `summary:` at six): no parser is loaded.

const methods = new Set(["get", "put", "post", "delete", "patch", "head", "options"]);

function operations(yaml) {
  const found = [];
  let inPaths = false;
  let path = null;
  for (const line of yaml.split("\n")) {
    if (/^\S/.test(line)) inPaths = line.startsWith("paths:");
    if (!inPaths) continue;
    const pathMatch = line.match(/^ {2}(\/\S*):\s*$/);
    if (pathMatch) path = pathMatch[1];
    const methodMatch = line.match(/^ {4}(\w+):\s*$/);
    if (methodMatch && methods.has(methodMatch[1])) found.push({ method: methodMatch[1].toUpperCase(), path, summary: "" });
    const summaryMatch = line.match(/^ {6}summary:\s*(.+)$/);
    if (summaryMatch && found.length) found[found.length - 1].summary = summaryMatch[1];
  }
  return found;
}

const response = await fetch("/openapi.yaml");
const yaml = await response.text();
document.getElementById("document").textContent = yaml;
const body = document.getElementById("operations");
for (const operation of operations(yaml)) {
  const row = document.createElement("tr");
  for (const text of [operation.method, operation.path, operation.summary]) {
    const cell = document.createElement("td");
    cell.textContent = text;
    row.append(cell);
  }
  body.append(row);
}
