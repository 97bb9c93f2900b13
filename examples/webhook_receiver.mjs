// A webhook receiver for Pressroom in Node, as a customer's system would run it.
//
//     npm install standardwebhooks
//     WEBHOOK_SECRET=whsec_... node examples/webhook_receiver.mjs   # listens on 127.0.0.1:8900
//
// It verifies each message's Standard Webhooks signature (and its timestamp, against replays
// of old messages) on the raw body, answers 2xx only once the message is handled, and handles
// each `webhook-id` once: Pressroom delivers at least once, so a retry or a replay of
// something already handled is acknowledged and skipped. Keep `handled` in your database in a
// real system.
import { createServer } from "node:http";
import { Webhook } from "standardwebhooks";

const verifier = new Webhook(process.env.WEBHOOK_SECRET);
const handled = new Set();
const port = Number(process.env.PORT ?? 8900);

const server = createServer((req, res) => {
  if (req.method !== "POST" || req.url !== "/pressroom") {
    res.writeHead(404).end();
    return;
  }
  const chunks = [];
  req.on("data", (chunk) => chunks.push(chunk));
  req.on("end", () => {
    const body = Buffer.concat(chunks).toString("utf8");
    let payload;
    try {
      payload = verifier.verify(body, {
        "webhook-id": req.headers["webhook-id"],
        "webhook-timestamp": req.headers["webhook-timestamp"],
        "webhook-signature": req.headers["webhook-signature"],
      });
    } catch {
      res.writeHead(401).end("bad signature");
      return;
    }
    const msgId = req.headers["webhook-id"];
    if (!handled.has(msgId)) {
      console.log(JSON.stringify(payload)); // your system's work goes here
      handled.add(msgId);
    }
    res.writeHead(200).end("ok");
  });
});

server.listen(port, "127.0.0.1", () => console.log(`listening on 127.0.0.1:${port}`));
