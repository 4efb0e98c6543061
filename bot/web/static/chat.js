/* The chat page: plain DOM over one same-origin JSON route. Nothing is stored in the browser:
   the conversation id lives in this page's memory only, so closing the page ends it. */
"use strict";

(function () {
  /* Links, emails, UK phone numbers, and the offer's own short numbers (data-phones, from contacts.yml). */
  function linkPattern(phones) {
    const listed = phones.split("|").filter(Boolean).map(function (p) { return p.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"); });
    const numbers = ["0\\d{3,4} ?\\d{3} ?\\d{3,4}", "0\\d{2} ?\\d{4} ?\\d{4}"].concat(listed).join("|");
    return new RegExp("(https?:\\/\\/[^\\s<>\"]+[^\\s<>\".,;:!?)]|[\\w.+-]+@[\\w-]+(?:\\.[\\w-]+)+|\\b(?:" + numbers + ")\\b)", "g");
  }
  let LINK = linkPattern("");

  function quickExit(url) {
    const chat = document.getElementById("log");
    if (chat) chat.replaceChildren();
    window.location.replace(url);
  }

  function setUpExit() {
    const exit = document.getElementById("exit");
    if (!exit) return;
    const url = exit.getAttribute("href");
    exit.addEventListener("click", function (event) {
      event.preventDefault();
      quickExit(url);
    });
    let presses = [];
    document.addEventListener("keydown", function (event) {
      if (event.key !== "Shift") return;
      const now = Date.now();
      presses = presses.filter(function (t) { return now - t < 1500; }).concat(now);
      if (presses.length >= 3) quickExit(url);
    });
  }

  function newSenderId() {
    const bytes = new Uint8Array(16);
    window.crypto.getRandomValues(bytes);
    return Array.from(bytes, function (b) { return b.toString(16).padStart(2, "0"); }).join("");
  }

  /* Text becomes text nodes and links: bot words are never parsed as HTML. */
  function appendWithLinks(element, text) {
    let last = 0;
    for (const match of text.matchAll(LINK)) {
      element.append(document.createTextNode(text.slice(last, match.index)));
      const found = match[0];
      const link = document.createElement("a");
      if (found.startsWith("http")) {
        link.href = found;
        link.rel = "noreferrer noopener";
        link.target = "_blank";
      } else if (found.includes("@")) {
        link.href = "mailto:" + found;
      } else {
        link.href = "tel:" + found.replace(/ /g, "");
      }
      link.textContent = found;
      element.append(link);
      last = match.index + found.length;
    }
    element.append(document.createTextNode(text.slice(last)));
  }

  function startChat(main) {
    LINK = linkPattern(main.dataset.phones || "");
    const log = document.getElementById("log");
    const form = document.getElementById("composer");
    const input = document.getElementById("message");
    const typing = document.getElementById("typing");
    const sender = newSenderId();
    const reviewing = new URLSearchParams(window.location.search).get("review") === "1";
    let queue = Promise.resolve();

    /* In review mode each reply shows the ids of the strings it is made of. */
    function showIds(ids) {
      const note = document.createElement("p");
      note.className = "ids";
      note.textContent = ids.join(" · ");
      log.append(note);
    }

    /* After an answer about the offer: was it helpful, and (if not) how to say it better. */
    function askFeedback(ids) {
      const box = document.createElement("div");
      box.className = "feedback";
      const question = document.createElement("span");
      question.textContent = main.dataset.feedbackQuestion + " ";
      box.append(question);
      function thank() {
        box.replaceChildren(document.createTextNode(main.dataset.feedbackThanks));
      }
      function post(rating, suggestion) {
        fetch("/api/feedback", {
          method: "POST",
          headers: {"Content-Type": "application/json"},
          body: JSON.stringify({ids: ids, rating: rating, suggestion: suggestion || ""}),
          cache: "no-store",
        }).catch(function () { /* feedback is optional: never trouble the person with it */ });
      }
      [["up", main.dataset.feedbackYes, "👍"], ["down", main.dataset.feedbackNo, "👎"]].forEach(function (choice) {
        const tap = document.createElement("button");
        tap.type = "button";
        tap.textContent = choice[2] + " " + choice[1];
        tap.addEventListener("click", function () {
          if (choice[0] === "up") {
            post("up");
            thank();
            return;
          }
          const form = document.createElement("form");
          const label = document.createElement("label");
          const field = document.createElement("input");
          const fieldId = "better-" + Math.random().toString(36).slice(2);
          label.htmlFor = fieldId;
          label.textContent = main.dataset.feedbackBetterLabel;
          field.id = fieldId;
          field.maxLength = 500;
          field.autocomplete = "off";
          const send = document.createElement("button");
          send.type = "submit";
          send.textContent = main.dataset.feedbackSend;
          form.append(label, field, send);
          form.addEventListener("submit", function (event) {
            event.preventDefault();
            post("down", field.value.trim());
            thank();
          });
          box.replaceChildren(form);
          field.focus();
        });
        box.append(tap);
      });
      log.append(box);
    }

    function addMessage(who, text, buttons) {
      const bubble = document.createElement("div");
      bubble.className = "msg " + who;
      const label = document.createElement("span");
      label.className = "visually-hidden";
      label.textContent = (who === "user" ? main.dataset.you : main.dataset.bot) + ": ";
      bubble.append(label);
      appendWithLinks(bubble, text || "");
      log.append(bubble);
      if (buttons && buttons.length) {
        const row = document.createElement("div");
        row.className = "quick-replies";
        buttons.forEach(function (button) {
          /* "See everything you can get" opens the web check, filled in, beside the chat. */
          if (button.payload.startsWith("/check?")) {
            const link = document.createElement("a");
            link.className = "button-link";
            link.href = button.payload;
            link.target = "_blank";
            link.rel = "noopener";
            link.textContent = button.title;
            row.append(link);
            return;
          }
          const tap = document.createElement("button");
          tap.type = "button";
          tap.textContent = button.title;
          tap.addEventListener("click", function () {
            row.querySelectorAll("button").forEach(function (b) { b.disabled = true; });
            send(button.payload, button.title);
            input.focus();
          });
          row.append(tap);
        });
        log.append(row);
      }
      /* Only the message list scrolls: a reply is shown from its first line, the header stays put. */
      log.scrollTop = who === "bot" ? bubble.offsetTop - 8 : log.scrollHeight;
    }

    async function exchange(message) {
      typing.hidden = false;
      try {
        const response = await fetch("/api/message", {
          method: "POST",
          headers: {"Content-Type": "application/json"},
          body: JSON.stringify({sender: sender, message: message}),
          cache: "no-store",
        });
        /* 429: too many messages at once; its body is a kind reply to show like any other. */
        if (!response.ok && response.status !== 429) throw new Error("status " + response.status);
        const replies = await response.json();
        if (!Array.isArray(replies) || replies.length === 0) throw new Error("no reply");
        return replies;
      } catch (error) {
        return [{text: main.dataset.failure}];
      } finally {
        typing.hidden = true;
      }
    }

    function send(message, shown) {
      if (shown) addMessage("user", shown);
      queue = queue.then(async function () {
        const replies = await exchange(message);
        replies.forEach(function (reply) {
          addMessage("bot", reply.text, reply.buttons);
          const ids = reply.ids || [];
          if (reviewing && ids.length) showIds(ids);
          if (ids.some(function (id) { return id.startsWith("offer:"); })) askFeedback(ids);
        });
      });
      return queue;
    }

    form.addEventListener("submit", function (event) {
      event.preventDefault();
      const text = input.value.trim();
      if (!text) return;
      input.value = "";
      send(text, text);
      input.focus();
    });

    send(main.dataset.start, null);
  }

  document.addEventListener("DOMContentLoaded", function () {
    setUpExit();
    const main = document.getElementById("chat");
    if (main) startChat(main);
  });
})();
