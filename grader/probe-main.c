/* probe-main.c: the main loop of a probe (see probe.h). */
#include <config.h>

#include <stdio.h>
#include <gsl/gsl_errno.h>

#include "probe.h"

int
main(void)
{
  /* A student's GSL_ERROR must return its code, not abort the probe. */
  gsl_set_error_handler_off();
  /* Keep what the student prints in order with the replies. */
  setvbuf(stdout, NULL, _IOLBF, 0);

  nng_msg req, rep;
  nng_msg_init(&req);
  nng_msg_init(&rep);
  int status = 0;
  while (nng_msg_recv(NNG_PROBE_IN, &req) == 0) {
    int64_t fn;
    nng_msg_clear(&rep);
    if (nng_msg_get_int(&req, &fn) != 0) {
      nng_msg_put_int(&rep, NNG_PROBE_BAD_REQUEST);
    } else {
      nng_probe_dispatch(fn, &req, &rep);
    }
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
