/* kube_ui — the Cluster view's action keys (tui/ only): c cordon, U
 * uncordon, D drain the selected node (the dialog shows the drain's plan),
 * r rollout restart of the selected pod's owner workload, s reconcile (Flux)
 * or sync (Argo CD) the selected GitOps object, S suspend / resume it
 * (Flux).  Each asks in actions_ui's confirm dialog and runs
 * core/actions/action_kube.h's action on its thread (progress box, Esc
 * hides it; the result in a toast; read-only refuses).
 *
 * The keys are bound in the key table's cluster scope (KEY_SCOPE_CLUSTER:
 * the Cluster view's, before the global r s S); the view keeps
 * ui->cluster_sel up to date as it draws (tui/view_cluster.c: the focused
 * node and its selected pod); s and S first open tui/kube_pick.h's pick
 * list of the cluster's GitOps objects, whose choice goes into
 * ui->cluster_sel.gitops before the confirm dialog.  A drain whose plan needs force
 * (pods without a controller) is not offered here: the toast names the
 * command line's `kitetop drain-node CLUSTER NODE --force`. */
#ifndef KITETOP_TUI_KUBE_UI_H
#define KITETOP_TUI_KUBE_UI_H

#include "backends/kube_types.h"
#include "core/actions/action_kube.h"
#include "tui/keys.h"
#include "tui/ui.h"

/* Pure: what key action a asks for on sel in cluster c (its value in the
 * frame; NULL before the first answer), named cluster.  0 with *req (its
 * strings point into sel and c: copy them before those change), *question
 * and *detail (the drain's plan; NULL for the others), both the caller's;
 * -1 with *cause ("select a node first", "default/bare has no controller:
 * nothing to roll out", "the drain of panther needs force: ...; run
 * kitetop drain-node ... --force"). */
int kube_ui_request(const struct kube_cluster *c, const char *cluster, const struct ui_cluster_sel *sel,
                    enum key_action a, struct kube_action_req *req, char **question, char **detail,
                    char **cause);

/* The command of c U D r s S in the cluster scope (tui/keys.c). */
void kube_ui_cmd(struct ui *ui, enum key_action a);

#endif
