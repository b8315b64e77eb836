/* prom_fake — a stand-in Prometheus for the panels' tests: answers
 * /api/v1/query and /api/v1/query_range (GET or POST) on 127.0.0.23, an
 * ephemeral port, one request per connection, by what the query names:
 *
 *   ok_by_instance   two series {instance="a:9100"} 40 and {instance="b:9100"} 95
 *   one_host{...}    one series {instance=<the selector's instance>} 7
 *                    (the query with {host_selector} substituted)
 *   many_series      10,000 series {i="N"} N
 *   big_matrix       a 20 MB answer
 *   bad_value        "value": ["x", null]
 *   parse_error(     HTTP 400, bad_data "parse error: unexpected end of input"
 *   scalar_q         a scalar, 3
 *   html_page        200 with an HTML page
 *   anything else    an empty vector
 *
 * A query_range answers a matrix of 5 points (values v-4 .. v) over its
 * range.  The panels source's combined query (parts labelled kitetop_panel,
 * kitetop_host, joined by " or ") is taken apart and answered as Prometheus
 * would: one failing part fails it all, a scalar part is a bad_data type
 * error, else the parts' series with those labels added. */
#ifndef KITETOP_TESTS_PROM_FAKE_H
#define KITETOP_TESTS_PROM_FAKE_H

struct prom_fake;

struct prom_fake *prom_fake_start(void);      /* NULL with a message on failure */
void prom_fake_stop(struct prom_fake *f);
const char *prom_fake_url(const struct prom_fake *f);   /* "http://127.0.0.23:PORT" */
int prom_fake_requests(const struct prom_fake *f);      /* answered so far */

#endif
