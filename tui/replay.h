/* replay — `kitetop replay FILE`: a recording (core/history/recording.h)
 * drawn in the same views as the live dashboard, from the configuration
 * it was recorded with.  It plays at the pace it was recorded (faster or
 * slower with [ ]), pauses, steps and seeks; a time bar under the views
 * shows where it is and marks the frames where something changed (the
 * events found by comparing each frame with the one before, as the live
 * dashboard does).  Actions, logs and the container detail need the live
 * hosts: they are refused with a word, and the header says REPLAY with the
 * time of the frame shown. */
#ifndef KITETOP_TUI_REPLAY_H
#define KITETOP_TUI_REPLAY_H

#include <stdbool.h>
#include <stdint.h>

#include "core/config/config.h"
#include "core/model/frame.h"
#include "tui/keys.h"
#include "tui/ui.h"
#include "widgets/provide_curses.h"
#include "widgets/rect.h"

struct replay;

/* Reads the recording at path, its configuration and every frame's events
 * (progress on stderr when it is a terminal).  NULL with *cause. */
struct replay *replay_open(const char *path, char **cause);
void replay_free(struct replay *r);

/* The configuration it was recorded with (read-only set); owned by r. */
struct config *replay_config(struct replay *r);

/* The frame shown (read on demand; NULL when it cannot be read, and
 * replay_error says why).  Borrowed until the frame changes. */
const struct frame *replay_frame(struct replay *r);
const char *replay_error(const struct replay *r);

/* The frame index shown, and the count. */
size_t replay_index(const struct replay *r);
size_t replay_count(const struct replay *r);
/* Time of the frame shown (wall clock ms of the recording). */
int64_t replay_time(const struct replay *r);
bool replay_playing(const struct replay *r);

/* True once per change of the frame shown, with the frame shown before
 * (*from, (size_t)-1 at first) and now: the app feeds the sparklines and
 * the change highlights then. */
bool replay_moved(struct replay *r, size_t *from, size_t *to);
/* Frame i read into *f (release it): 0, or -1 (replay_error says why). */
int replay_read_frame(struct replay *r, size_t i, struct frame *f);

/* Playing: moves on when the next frame is due at now_mono; true when the
 * frame changed.  *due gets when to call again (0: paused or at the end). */
bool replay_tick(struct ui *ui, int64_t now_mono, int64_t *due);

/* The replay keys (space , . [ ] g G) and p (pause); key_command shape. */
void replay_cmd(struct ui *ui, enum key_action a);
/* True when a is something a replay cannot do (actions, logs, detail,
 * refresh); a toast says so. */
bool replay_refuses(struct ui *ui, enum key_action a);

/* The time bar (one row): play state, speed, time, position, and a mark
 * at each frame with events, coloured by the worst of them. */
void replay_draw_bar(struct ui *ui, WINDOW *w, struct rect r);
/* The header's badge: "REPLAY 2026-12-06 03:10:42 x2". */
void replay_badge(const struct replay *r, char *out, size_t n);

#endif
