/* SPDX-License-Identifier: GPL-3.0-or-later */
/* calls-ex07.h: the calls nngrade can ask a probe of exercise 7 to make.
 *
 * Each request is the call's number followed by its arguments; each reply is
 * the status the student's function returned followed by its outputs (even on
 * an error, so that nngrade can see whether they were left untouched):
 *
 *   NNG_EX7_ADD     request: dc, da (before), db (before) (doubles)
 *                   reply:   status, da, db
 *   NNG_EX7_MUL     request: a, b, dc, da (before), db (before) (doubles),
 *                            alias (int: 1 = pass &da as both da and db)
 *                   reply:   status, da, db (equal to da when aliased)
 *   NNG_EX7_TANH    request: c, dc, da (before) (doubles)
 *                   reply:   status, da
 *   NNG_EX7_DENSE   request: X, W, dY (matrices), has_dX (int), dX (matrix,
 *                            before; only when has_dX), dW (matrix, before),
 *                            db (vector, before)
 *                   reply:   status, dX (only when has_dX), dW, db
 */
#ifndef NNG_CALLS_EX07_H
#define NNG_CALLS_EX07_H

enum {
  NNG_EX7_ADD = 1,
  NNG_EX7_MUL,
  NNG_EX7_TANH,
  NNG_EX7_DENSE
};

#endif /* NNG_CALLS_EX07_H */
