/* record_verb — see record_verb.h. */
#include "cli/record_verb.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli/status_json.h"
#include "core/base/format.h"
#include "core/base/timeutil.h"
#include "core/base/util.h"
#include "core/base/wake.h"
#include "core/feeds/feeds.h"
#include "core/history/recording.h"
#include "core/model/frame.h"

/* New data waits this long for more before a frame is taken, as the
 * dashboard waits before drawing: the sources answering one refresh tick
 * make one frame. */
#define RECORD_COALESCE_MS 250

static volatile sig_atomic_t record_quit_signal;
static struct wake *record_wake;   /* for the signal handler only */

static void record_on_quit_signal(int sig)
{
	record_quit_signal = sig;
	wake_signal(record_wake);
}

static void record_signals(void)
{
	static const int quit[] = { SIGTERM, SIGHUP, SIGINT };
	struct sigaction sa;

	memset(&sa, 0, sizeof sa);
	sigemptyset(&sa.sa_mask);
	sa.sa_handler = record_on_quit_signal;
	for (size_t i = 0; i < UTIL_ARRAY_LEN(quit); i++)
		sigaction(quit[i], &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
}

struct record {
	const struct cli *cli;
	struct feeds *feeds;
	struct recorder *rec;
	size_t frames;
	uint64_t raw;              /* bytes of the documents */
	bool progress;             /* stderr is a terminal */
};

/* The configuration's text with its secrets left out, and its path: the
 * recording's header.  No file: the built-in default, no text. */
static int record_config_text(const struct cli *cli, char **path, char **text, size_t *len,
                              char **cause)
{
	char *raw = NULL;
	size_t n = 0;

	*path = config_find(cli->config);
	*text = NULL;
	*len = 0;
	if (*path != NULL && util_read_file(*path, CONFIG_MAX_BYTES, &raw, &n, cause) != 0) {
		free(*path);
		*path = NULL;
		return -1;
	}
	*text = recording_strip_secrets(raw != NULL ? raw : "", n, len);
	free(raw);
	return 0;
}

/* What is in the file so far (0 when it cannot be seen). */
static uint64_t record_written(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 ? (uint64_t)st.st_size : 0;
}

static void record_sizes(const struct record *r, char *raw, char *written, size_t n)
{
	format_bytes(raw, n, (double)r->raw);
	format_bytes(written, n, (double)record_written(r->cli->file));
}

static void record_progress(const struct record *r)
{
	char raw[32], written[32];

	if (!r->progress)
		return;
	record_sizes(r, raw, written, sizeof raw);
	fprintf(stderr, "\r\033[Krecording to %s: %zu frame%s (%s raw, %s written)", r->cli->file,
	        r->frames, r->frames == 1 ? "" : "s", raw, written);
	fflush(stderr);
}

/* One frame of what the feeds have now, written. */
static int record_frame(struct record *r, char **cause)
{
	struct frame f;
	char *doc;
	size_t len;
	int rc;

	frame_take(&f, r->feeds);
	doc = status_json(&f);
	len = strlen(doc);
	rc = recorder_add(r->rec, f.taken_ms, doc, len, cause);
	free(doc);
	frame_release(&f);
	if (rc == 0) {
		r->frames++;
		r->raw += len;
		record_progress(r);
	}
	return rc;
}

/* Until a signal or the end of --for: a frame for each new generation of
 * data, once it had RECORD_COALESCE_MS to gather.  0, or -1 with *cause. */
static int record_loop(struct record *r, char **cause)
{
	int64_t end = r->cli->for_ms > 0 ? time_mono_ms() + r->cli->for_ms : 0, due = 0;
	uint64_t recorded = feeds_generation(r->feeds);
	struct pollfd pfd = { .fd = wake_fd(record_wake), .events = POLLIN };

	while (record_quit_signal == 0) {
		int64_t now = time_mono_ms(), timeout = 1000;

		if (end != 0 && now >= end)
			break;
		if (due != 0 && now >= due) {
			/* the generation read after the drain is what the frame has */
			wake_drain(record_wake);
			recorded = feeds_generation(r->feeds);
			due = 0;
			if (record_frame(r, cause) != 0)
				return -1;
			continue;
		}
		if (due == 0 && feeds_generation(r->feeds) != recorded)
			due = now + RECORD_COALESCE_MS;
		if (due != 0 && due - now < timeout)
			timeout = due - now;
		if (end != 0 && end - now < timeout)
			timeout = end - now;
		/* while a frame gathers, what else arrives joins it */
		pfd.fd = due != 0 ? -1 : wake_fd(record_wake);
		if (poll(&pfd, 1, (int)timeout) == -1 && errno != EINTR) {
			util_set_cause(cause, "poll: %s", strerror(errno));
			return -1;
		}
		if (pfd.revents & POLLIN)
			wake_drain(record_wake);
	}
	return 0;
}

static int record_run(struct record *r, char **cause)
{
	char *path, *text;
	size_t len;
	int rc;

	if (record_config_text(r->cli, &path, &text, &len, cause) != 0)
		return -1;
	r->rec = recorder_open(r->cli->file, path, text, len, cause);
	free(path);
	free(text);
	if (r->rec == NULL)
		return -1;
	rc = feeds_start(r->feeds, cause);
	if (rc == 0)
		rc = record_loop(r, cause);
	if (recorder_close(r->rec, rc == 0 ? cause : NULL) != 0)
		rc = -1;
	r->rec = NULL;
	return rc;
}

int record_verb_run(struct config *cfg, const struct cli *cli)
{
	struct record r = { .cli = cli, .progress = isatty(STDERR_FILENO) == 1 };
	char *cause = NULL, raw[32], written[32];
	struct wake *w;
	int rc;

	record_wake = wake_new(&cause);
	if (record_wake == NULL) {
		fprintf(stderr, "kitetop: %s\n", cause);
		free(cause);
		return 1;
	}
	record_signals();
	r.feeds = feeds_new(cfg, record_wake);
	rc = record_run(&r, &cause);
	feeds_free(r.feeds);
	if (r.progress && r.frames > 0)
		fputs("\r\033[K", stderr);
	if (rc != 0) {
		fprintf(stderr, "kitetop: %s\n", cause != NULL ? cause : "recording failed");
	} else {
		record_sizes(&r, raw, written, sizeof raw);
		fprintf(stderr, "recorded %zu frame%s (%s raw, %s written) to %s\n", r.frames,
		        r.frames == 1 ? "" : "s", raw, written, cli->file);
	}
	free(cause);
	w = record_wake;
	record_wake = NULL;   /* before it is gone: a late signal must not use it */
	wake_free(w);
	return rc != 0 ? 1 : 0;
}
