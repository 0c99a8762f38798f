/* SPDX-License-Identifier: GPL-3.0-or-later */
/* probe-main.c: the main loop of a probe (see probe.h). */
#include <config.h>

#include <stdio.h>

#include "probe.h"

int
main(void)
{
  nng_probe_watch_init();
  /* Keep what the student prints in order with the replies. The buffer is
   * ours, so that a student's first printf allocates nothing (it would
   * count as a leak). */
  static char out_buffer[BUFSIZ];
  setvbuf(stdout, out_buffer, _IOLBF, sizeof out_buffer);

  nng_msg req, rep;
  nng_msg_init(&req);
  nng_msg_init(&rep);
  int status = 0;
  while (nng_msg_recv(NNG_PROBE_IN, &req) == 0) {
    int64_t fn;
    nng_msg_clear(&rep);
    nng_probe_watch_reset();
    if (nng_msg_get_int(&req, &fn) != 0) {
      nng_msg_put_int(&rep, NNG_PROBE_BAD_REQUEST);
    } else {
      nng_probe_dispatch(fn, &req, &rep);
    }
    nng_probe_watch_append(&rep);
    fflush(stdout);
    if (nng_msg_send(NNG_PROBE_OUT, &rep) != 0) {
      status = 3;
      break;
    }
  }
  nng_msg_release(&req);
  nng_msg_release(&rep);
  return status;
}
