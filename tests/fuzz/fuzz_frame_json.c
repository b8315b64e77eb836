/* Fuzz target of core/model/frame_json: the input is a status JSON document,
 * read into a frame of a fixed configuration (three hosts: monk and
 * kscloud1 over ssh with Prometheus metrics and a tunnel, and this machine;
 * every shared section; services with and without probes and a public
 * URL).  Whatever the input, the reader returns a frame or -1 with a cause,
 * never crashes or leaks, and what reads the frame (the verdicts, the
 * status JSON and text) copes with it.
 *
 * The configuration's secrets come from an environment variable the target
 * sets itself. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cli/status_json.h"
#include "cli/status_text.h"
#include "core/base/buf.h"
#include "core/config/config.h"
#include "core/model/frame_json.h"
#include "core/model/verdict.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char fuzz_frame_conf[] =
	"[kitetop]\nrefresh = 2\n"
	"[host monk]\naddress = 127.0.0.2\nssh = root@127.0.0.2:22\ndocker = ssh\n"
	"prom_selector = instance=\"127.0.0.2:9100\"\ntunnel_container = cloudflared\n"
	"tunnel_ready = http://{address}:2000/ready\n"
	"[host kscloud1]\naddress = 127.0.0.3\nssh = root@127.0.0.3:22\ndocker = ssh\n"
	"prom_selector = instance=\"127.0.0.3:9100\"\ntunnel_container = cloudflared\n"
	"tunnel_ready = http://{address}:2000/ready\n"
	"[host here]\ndocker = none\n"
	"[prometheus]\nurl = http://127.0.0.2:9090\nvia = monk\n"
	"[postgres]\nconninfo = host=127.0.0.3 port=5432 dbname=postgres user=kitetop\nvia = kscloud1\n"
	"[redis]\naddress = 127.0.0.3:6379\nvia = kscloud1\n"
	"[authentik]\nurl = http://{address}:9000\npublic_url = http://127.0.0.3:9443\n"
	"token_env = KITETOP_FUZZ_FRAME_SECRET\n"
	"[cloudflare]\naccount_id = 0123abcd4567ef890123abcd4567ef89\n"
	"tunnel_id = 6ff42ae2-765d-4adf-8112-31c55c1551ef\ntoken_env = KITETOP_FUZZ_FRAME_SECRET\n"
	"[service homepage]\ncontainer = homepage\nhealth = http://{address}:8080/\n"
	"[service authentik]\ncontainer = authentik\nhealth = http://{address}:9000/-/health/live/\n"
	"public_url = http://127.0.0.3:9443/-/health/live/\n"
	"[service forgejo]\ncontainer = forgejo\nhealth = http://{address}:3000/api/healthz\n"
	"[service karakeep]\ncontainer = karakeep\nhealth = http://{address}:3001/api/health\n"
	"[service kavita]\ncontainer = kavita\nhealth = http://{address}:5000/api/health\n"
	"[service watchtower]\ncontainer = watchtower\n"
	"[panel \"Load\"]\nquery = node_load1\nper_host = yes\n";

static struct config *fuzz_frame_cfg;

static void fuzz_frame_free_cfg(void)
{
	config_free(fuzz_frame_cfg);
}

static const struct config *fuzz_frame_config(void)
{
	char *cause = NULL;

	if (fuzz_frame_cfg != NULL)
		return fuzz_frame_cfg;
	setenv("KITETOP_FUZZ_FRAME_SECRET", "secret", 1);
	fuzz_frame_cfg = config_parse("fuzz.conf", fuzz_frame_conf, sizeof fuzz_frame_conf - 1, &cause);
	if (fuzz_frame_cfg == NULL)
		abort();   /* the fixed configuration must parse */
	atexit(fuzz_frame_free_cfg);
	return fuzz_frame_cfg;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const struct config *cfg = fuzz_frame_config();
	struct frame f;
	struct buf out;
	char *cause = NULL, *json;

	if (frame_json_read(&f, cfg, (const char *)data, size, &cause) != 0) {
		if (cause == NULL || f.nhosts != 0 || f.nrefs != 0)
			abort();
		free(cause);
		frame_release(&f);
		return 0;
	}
	if (f.nhosts != cfg->nhosts || f.nrefs > cfg->nhosts * 4 + 8)
		abort();
	buf_init(&out);
	(void)verdict_overall(&f, &out);
	status_text(&f, &out);
	buf_done(&out);
	json = status_json(&f);
	free(json);
	frame_release(&f);
	return 0;
}
