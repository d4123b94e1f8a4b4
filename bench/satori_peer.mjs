// The satori + resvg peer for bench/peer.py: the demo's 1280×720 thumbnail as a PNG.
//
//   node bench/satori_peer.mjs PEER_DIR FIELDS_JSON
//
// PEER_DIR holds node_modules with satori and @resvg/resvg-js (npm install, outside
// the repository); FIELDS_JSON is the card's fields (colours, logo and photo paths,
// subtitle, font file). The process stays warm: each stdin line is a JSON object
// {"title": ..., "size": ...} and each answer on stdout is a 4-byte big-endian
// length followed by the PNG. The title's font size comes from toolkit's own fit
// (satori cannot measure text for a fitting loop), so the peer does no fitting work.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { pathToFileURL } from "node:url";

const [dir, fieldsPath] = process.argv.slice(2);
const fields = JSON.parse(readFileSync(fieldsPath, "utf8"));
const satori = (await import(pathToFileURL(join(dir, "node_modules/satori/dist/index.js")).href))
  .default;
const { Resvg } = createRequire(join(dir, "package.json"))("@resvg/resvg-js");

const font = readFileSync(fields.font);
const dataUri = (path) => `data:image/png;base64,${readFileSync(path).toString("base64")}`;
const logo = dataUri(fields.logo);
const photo = dataUri(fields.photo);
const W = 1280;
const H = 720;

function h(type, style, children, extra = {}) {
  return { type, props: { style, children, ...extra } };
}

// The thumbnail layout's landscape variant, as bench/peer.py's HTML page draws it.
function card(title, size) {
  return h(
    "div",
    {
      width: W,
      height: H,
      display: "flex",
      position: "relative",
      fontFamily: "Noto Sans",
      fontWeight: 700,
      backgroundImage: `linear-gradient(110deg, ${fields.primary}, ${fields.secondary})`,
    },
    [
      h("div", {
        position: "absolute",
        left: 1198,
        top: -134,
        width: 330,
        height: 330,
        borderRadius: "50%",
        backgroundColor: fields.accent,
        opacity: 0.18,
      }),
      h("img", { position: "absolute", left: 64, top: 44, objectFit: "contain" }, undefined, {
        src: logo,
        width: 260,
        height: 64,
      }),
      h(
        "img",
        {
          position: "absolute",
          left: 890,
          top: 140,
          border: `10px solid ${fields.accent}`,
          borderRadius: "50%",
          backgroundColor: fields.secondary,
          objectFit: "cover",
        },
        undefined,
        { src: photo, width: 340, height: 340 },
      ),
      h(
        "div",
        {
          position: "absolute",
          left: 64,
          top: 140,
          width: 800,
          height: 420,
          display: "flex",
          alignItems: "center",
        },
        h(
          "div",
          {
            width: 800,
            color: "#fff",
            textTransform: "uppercase",
            lineHeight: 1.02,
            fontSize: size,
          },
          title,
        ),
      ),
      h(
        "div",
        {
          position: "absolute",
          left: 64,
          top: 584,
          height: 76,
          display: "flex",
          alignItems: "center",
        },
        h(
          "div",
          {
            fontSize: 35,
            lineHeight: 1.1,
            color: fields.secondary,
            backgroundColor: fields.accent,
            padding: "8px 16px",
            borderRadius: 999,
          },
          fields.subtitle,
        ),
      ),
    ],
  );
}

async function render(title, size) {
  const svg = await satori(card(title, size), {
    width: W,
    height: H,
    fonts: [{ name: "Noto Sans", data: font, weight: 700, style: "normal" }],
  });
  return new Resvg(svg, { fitTo: { mode: "original" } }).render().asPng();
}

const lines = createInterface({ input: process.stdin });
for await (const line of lines) {
  if (!line.trim()) continue;
  const { title, size } = JSON.parse(line);
  const png = await render(title, size);
  const head = Buffer.alloc(4);
  head.writeUInt32BE(png.length);
  process.stdout.write(Buffer.concat([head, png]));
}
