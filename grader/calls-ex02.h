/* SPDX-License-Identifier: GPL-3.0-or-later */
/* calls-ex02.h: the calls nngrade can ask a probe of exercise 2 to make.
 *
 * Each request is the call's number followed by its arguments; each reply is
 * the status the student's function returned followed by its outputs (even on
 * an error, so that nngrade can see whether they were left untouched):
 *
 *   NNG_EX2_SUM      request: w (vector), w0 (double), x (vector), z (double, its value before the call)
 *                    reply:   status, z
 *   NNG_EX2_ACTIVATE request: kind (int), slope (double), z (vector), a (vector, before)
 *                    reply:   status, a
 *   NNG_EX2_DERIV    request: kind (int), slope (double), z (vector), d (vector, before)
 *                    reply:   status, d
 *   NNG_EX2_UPDATE   request: w (vector), w0 (double), x (vector), y (double),
 *                             lr (double), mistake (int, before)
 *                    reply:   status, w, w0, mistake
 *
 * The kind is sent as a number, so that a test can also send one that is
 * not an ex2_activation.
 */
#ifndef NNG_CALLS_EX02_H
#define NNG_CALLS_EX02_H

enum {
  NNG_EX2_SUM = 1,
  NNG_EX2_ACTIVATE,
  NNG_EX2_DERIV,
  NNG_EX2_UPDATE
};

#endif /* NNG_CALLS_EX02_H */
