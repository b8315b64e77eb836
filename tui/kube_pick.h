/* kube_pick — the Cluster view's pick list of GitOps objects (tui/ only):
 * s and S open it over the view; it lists the cluster's Flux objects and
 * Argo CD applications (S: the Flux objects only), those that want a look
 * first (a Flux object not Ready or suspended, an application OutOfSync,
 * Degraded or Missing), then the rest, each group in the cluster's order.
 *
 *   ┏━ Suspend or resume in f ━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━┓
 *   ┃ suspend Kustomization/flux-system/apps  not Ready: HealthCheckFailed ┃
 *   ┃ resume  HelmRelease/flux-system/external-dns  suspended              ┃
 *   ┃ suspend Kustomization/flux-system/infrastructure  Ready              ┃
 *   ┃                                                                      ┃
 *   ┃ j k move   Enter chooses   Esc cancels                               ┃
 *   ┗━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━┛
 *
 * (s: the same without suspend / resume, with the Argo CD applications,
 * "Application/argocd/plane  OutOfSync Healthy"; the selected row in
 * THEME_SELECTION, the state of those listed first in THEME_WARN.)
 *
 * j / k (or the arrows) move, Enter chooses it into ui->cluster_sel.gitops
 * and goes on to kube_ui's confirm dialog, Esc (or q) cancels; any other key
 * does nothing while it is open. */
#ifndef KITETOP_TUI_KUBE_PICK_H
#define KITETOP_TUI_KUBE_PICK_H

#include <stdbool.h>
#include <stddef.h>

#include "backends/kube_types.h"
#include "tui/keys.h"
#include "tui/ui.h"

#define KUBE_PICK_MAX 256

struct kube_pick_item {
	char ref[400];          /* "Kustomization/flux-system/apps", as kube_ref_parse reads it */
	char state[96];         /* "Ready", "not Ready: BuildFailed", "suspended", "OutOfSync Degraded" */
	bool attention;         /* listed first */
	bool suspended;         /* a Flux object: S resumes it */
};

/* Pure: whether g wants a look (the rule above). */
bool kube_pick_attention(const struct kube_gitops *g);

/* Pure: c's GitOps objects (flux_only: no Argo CD application) into out (at
 * most max), those that want a look first, then the rest, each group in c's
 * order.  Returns how many. */
size_t kube_pick_build(const struct kube_cluster *c, bool flux_only, struct kube_pick_item *out,
                       size_t max);

/* What Enter calls, the choice in ui->cluster_sel.gitops (kube_ui's run). */
typedef void (*kube_pick_chosen_fn)(struct ui *ui, enum key_action a);

/* Opens the list for key action a (KEY_ACT_GITOPS_SYNC or _SUSPEND) on the
 * cluster c (NULL before its first answer) named name; with nothing to
 * list, a toast says so and nothing opens. */
void kube_pick_open(struct ui *ui, const struct kube_cluster *c, const char *name,
                    enum key_action a, kube_pick_chosen_fn chosen);
/* A key while the list is open (ui->kube_pick): true when it took it. */
bool kube_pick_key(struct ui *ui, int key);
/* Draws the open list over area. */
void kube_pick_draw(struct ui *ui, WINDOW *w, struct rect area);
void kube_pick_free(struct ui *ui);

#endif
