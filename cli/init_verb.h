/* init_verb — `kitetop init [HOST...] [--stdout]`: the first configuration.
 *
 * The hosts are the arguments (an ssh target or a ~/.ssh/config alias each),
 * else the Host entries of ~/.ssh/config (patterns with * ? ! skipped).  Each
 * is probed with kitetop's own SSH transport: does it connect, does its
 * Docker engine answer (its version, its containers), which containers look
 * like cloudflared, authentik, node-exporter, prometheus, postgres, redis
 * (cli/init_config.h).  Up to INIT_PARALLEL hosts at once, each within
 * INIT_HOST_TIMEOUT_MS; a line on stderr as each one starts and ends.
 *
 * The configuration (checked by loading it as kitetop would) goes to the
 * file kitetop reads by default ($KITETOP_CONFIG, else
 * $XDG_CONFIG_HOME/kitetop/kitetop.conf; -c FILE: there), which must not
 * exist: init never overwrites one (exit 1, nothing probed).  With --stdout
 * it is printed instead and the report goes to stderr.  Otherwise the report
 * goes to stdout, then "wrote PATH".  Exit 0 when it was written (also when
 * some host did not answer: the report says which and why), 1 when not. */
#ifndef KITETOP_CLI_INIT_VERB_H
#define KITETOP_CLI_INIT_VERB_H

#include "cli/cli.h"

#define INIT_PARALLEL 8
#define INIT_HOST_TIMEOUT_MS 15000   /* one host's probe: SSH, then Docker */
#define INIT_SSH_TIMEOUT_MS 8000     /* connect, handshake and authentication */

int init_verb_run(const struct cli *cli);

#endif
