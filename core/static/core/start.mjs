import { initAll } from "../govuk/govuk-frontend.min.js";

initAll();

// Progress of a job a worker is doing (templates/components/progress.html): ask
// for its JSON every three seconds, show the percentage, and load the page again
// when the status changes. No timed refresh: the page changes only when the job does.
for (const box of document.querySelectorAll("[data-progress-url]")) {
  const percent = box.querySelector("[data-progress-percent]");
  const poll = async () => {
    try {
      const response = await fetch(box.dataset.progressUrl, {
        headers: { Accept: "application/json" },
        credentials: "same-origin",
      });
      if (response.ok) {
        const job = await response.json();
        if (job.status !== box.dataset.progressStatus) {
          window.location.reload();
          return;
        }
        if (percent) percent.textContent = String(job.progress);
      }
    } catch {
      // The network blinked: ask again next time.
    }
    window.setTimeout(poll, 3000);
  };
  window.setTimeout(poll, 3000);
}
