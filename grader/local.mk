# SPDX-License-Identifier: GPL-3.0-or-later
## grader/: nngrade, the exercise grader.
##
## nngrade itself (trusted) links the cmocka suites, the test kit and the
## library, which computes the expected answers. Student code is linked
## only into probes, built by nngrade at grading time from the student's
## object file and the exercise's probe library (libnngrade-exNN.a), which
## holds the probe's main loop and the exercise's dispatcher. The probe
## libraries are built without sanitizers: probes run under memory limits.

bin_PROGRAMS += grader/nngrade
grader_nngrade_SOURCES = \
	%D%/nngrade.c \
	%D%/batch.c %D%/batch.h \
	%D%/state.c %D%/state.h \
	%D%/rubric.c %D%/rubric.h \
	%D%/hidden.c %D%/hidden.h \
	%D%/grade.c %D%/grade.h \
	%D%/report.c %D%/report.h \
	%D%/similar.c %D%/similar.h %D%/similar-private.h \
	%D%/similar-tokens.c %D%/similar-fingerprints.c \
	%D%/similar-match.c %D%/similar-report.c \
	%D%/unpack.c %D%/unpack.h \
	%D%/sandbox.c %D%/sandbox-private.h %D%/sandbox-folders.c \
	%D%/sandbox-spawn.c %D%/sandbox-bwrap.c %D%/sandbox-ns.c %D%/sandbox-plain.c \
	%D%/sandbox-run.c %D%/sandbox-probe.c \
	%D%/testkit.c \
	%D%/proto.c %D%/probe-functions.c \
	%D%/probe.h \
	%D%/exercises.c %D%/exercises.h
# The table of exercises, generated from exercises/registry.
nodist_grader_nngrade_SOURCES = %D%/registry.c
grader_nngrade_CPPFLAGS = $(AM_CPPFLAGS) -I$(srcdir)/grader $(CMOCKA_CFLAGS) $(LIBARCHIVE_CFLAGS) \
	-DNNGRADE_EXERCISES_DIR='"$(pkgdatadir)/exercises"' \
	-DNNGRADE_PROBE_DIR='"$(pkglibdir)"' \
	-DNNGRADE_SUPERVISOR='"$(pkglibexecdir)/nngrade-supervise"' \
	-DNNGRADE_CC='"$(CC)"' \
	-DNNGRADE_STUDENT_CFLAGS='"$(GSL_CFLAGS)"' \
	-DNNGRADE_STUDENT_LDFLAGS='"$(NNGRADE_PROBE_LDFLAGS)"' \
	-DNNGRADE_STUDENT_LIBS='"$(NNGRADE_PROBE_LDFLAGS) $(NNGRADE_PROBE_LIBS) -lm"' \
	-DNNGRADE_INCLUDE_DIR='"$(nngradeincludedir)"' \
	-DNNGRADE_LIB_INCLUDE_DIR='"$(includedir)"' \
	-DNNGRADE_JUDGE_CFLAGS='"$(GSL_CFLAGS) $(CMOCKA_CFLAGS)"' \
	-DNNGRADE_REFERENCE_DIR='"$(referencedir)"' \
	-DNNGRADE_BUILD_DIR='"$(abs_top_builddir)"' \
	-DNNGRADE_SOURCE_DIR='"$(abs_top_srcdir)"'
grader_nngrade_LDADD = $(EXERCISE_REMOTE_OBJECTS) \
	lib/libnncourse.la $(CMOCKA_LIBS) $(LIBARCHIVE_LIBS) $(GSL_LIBS) $(LIBCSV_LIBS)
# Hidden tests are shared objects that nngrade loads: they call the test kit
# and the remote stubs in nngrade itself, so nngrade exports its symbols.
grader_nngrade_LDFLAGS = -export-dynamic

# The library's own code, which nngrade similar compares submissions with.
referencedir = $(pkgdatadir)/reference
reference_DATA = $(filter %.c,$(lib_libnncourse_la_SOURCES))

# The headers hidden tests are written with.
nngradeincludedir = $(pkgincludedir)/grader
nngradeinclude_HEADERS = %D%/testkit.h %D%/proto.h %D%/sandbox.h %D%/probe-functions.h
nodist_nngradeinclude_HEADERS = $(EXERCISE_REMOTE_H)

dist_man1_MANS = %D%/nngrade.1
EXTRA_DIST += %D%/ADDING-AN-EXERCISE.md %D%/gradescope/setup.sh \
	%D%/gradescope/run_autograder %D%/gradescope/README.md

# make gradescope-autograder [HIDDEN=dir] [RUBRIC=file]: the autograder zip.
gradescope-autograder: dist-gzip
	$(AM_V_GEN)rm -rf gradescope-stage nncourse-autograder.zip && \
	$(MKDIR_P) gradescope-stage && \
	cp $(srcdir)/grader/gradescope/setup.sh $(srcdir)/grader/gradescope/run_autograder \
	  $(DIST_ARCHIVES) gradescope-stage/ && \
	if test -n "$(HIDDEN)"; then cp -R "$(HIDDEN)" gradescope-stage/hidden; fi && \
	if test -n "$(RUBRIC)"; then cp "$(RUBRIC)" gradescope-stage/rubric.txt; fi && \
	(cd gradescope-stage && zip -qr ../nncourse-autograder.zip .) && \
	rm -rf gradescope-stage && echo "wrote nncourse-autograder.zip"
PHONY_TARGETS += gradescope-autograder
CLEANFILES += nncourse-autograder.zip

# The supervisor every probe runs under, inside its sandbox (supervise.c):
# it reports how the probe ended and what it used, and puts it under the
# system-call filter. Only system libraries, and no sanitizers: a sandbox
# sees nothing else, and a probe's memory limit holds for it too. nngrade
# finds it beside the probe libraries in the build tree.
pkglibexec_PROGRAMS = grader/nngrade-supervise
grader_nngrade_supervise_SOURCES = %D%/supervise.c
grader_nngrade_supervise_CPPFLAGS = -I$(top_builddir)
grader_nngrade_supervise_CFLAGS = -std=gnu11 -Wall -Wextra $(LIBSECCOMP_CFLAGS)
grader_nngrade_supervise_LDFLAGS =
grader_nngrade_supervise_LDADD = $(LIBSECCOMP_LIBS)
# nngrade runs no probe without it: whatever needs nngrade gets both.
EXTRA_grader_nngrade_DEPENDENCIES = grader/nngrade-supervise$(EXEEXT) $(EXERCISE_REMOTE_OBJECTS)

# ===== The exercises' glue, generated =====
# Each exercise's table of calls, exercises/exNN/calls, gives (calls.awk):
#   grader/remote-exNN.h   the remote stubs' prototypes (hidden tests use it)
#   grader/exNN-remote.c   the stubs, and the public tests (exercises/exNN/suite.c),
#                          compiled into nngrade
#   grader/exNN-probe.c    the probe's dispatcher, archived with the probe's
#                          common part into the probe library libnngrade-exNN.a
# The lists come from exercises/registry (EXERCISE_FOLDERS, exercises/local.mk).
EXERCISE_REMOTE_H = $(EXERCISE_FOLDERS:%=grader/remote-%.h)
EXERCISE_REMOTE_OBJECTS = $(EXERCISE_FOLDERS:%=grader/%-remote.$(OBJEXT))
EXERCISE_PROBE_OBJECTS = $(EXERCISE_FOLDERS:%=grader/%-probe.$(OBJEXT))
EXERCISE_PROBE_LIBS = $(EXERCISE_FOLDERS:%=grader/libnngrade-%.a)
EXERCISE_GENERATED = $(EXERCISE_REMOTE_H) $(EXERCISE_FOLDERS:%=grader/%-remote.c) \
	$(EXERCISE_FOLDERS:%=grader/%-probe.c)
CLEANFILES += %D%/registry.c $(EXERCISE_GENERATED) $(EXERCISE_REMOTE_OBJECTS) \
	$(EXERCISE_PROBE_OBJECTS) $(EXERCISE_PROBE_LIBS) \
	$(EXERCISE_REMOTE_OBJECTS:.$(OBJEXT)=.d) $(EXERCISE_PROBE_OBJECTS:.$(OBJEXT)=.d)
EXTRA_DIST += %D%/calls.awk %D%/registry.awk

%D%/registry.c: $(srcdir)/exercises/registry $(srcdir)/%D%/registry.awk
	$(AM_V_GEN)$(AWK) -f $(srcdir)/%D%/registry.awk $(srcdir)/exercises/registry > $@-t && mv $@-t $@

CALLS_AWK = $(AWK) -v ex=$(subst ex,,$*) -f $(srcdir)/grader/calls.awk
grader/remote-%.h: $(srcdir)/exercises/%/calls $(srcdir)/grader/calls.awk
	$(AM_V_GEN)$(CALLS_AWK) -v what=remote.h $< > $@-t && mv $@-t $@
grader/%-remote.c: $(srcdir)/exercises/%/calls $(srcdir)/grader/calls.awk
	$(AM_V_GEN)$(CALLS_AWK) -v what=remote.c $< > $@-t && mv $@-t $@
grader/%-probe.c: $(srcdir)/exercises/%/calls $(srcdir)/grader/calls.awk
	$(AM_V_GEN)$(CALLS_AWK) -v what=probe.c $< > $@-t && mv $@-t $@

# Compiled as nngrade's own sources are (sanitizers included), with the
# exercise's folder for its header and hooks.
grader/%-remote.$(OBJEXT): grader/%-remote.c grader/remote-%.h
	$(AM_V_CC)$(COMPILE) $(CMOCKA_CFLAGS) -I$(srcdir) -I$(srcdir)/grader -Igrader \
	  -I$(srcdir)/exercises/$* -MD -MP -MF $(@:.$(OBJEXT)=.d) -c -o $@ $<

# The probe: no sanitizers (probes run under memory limits), only what a
# probe needs. Its common part is one library; each exercise adds its
# dispatcher to a copy of it.
PROBE_CFLAGS = -std=gnu11 -Wall -Wextra -Werror=implicit-function-declaration $(GSL_CFLAGS)
PROBE_CPPFLAGS = -I$(top_builddir) -I$(srcdir)/grader
noinst_LIBRARIES += grader/libprobecommon.a
grader_libprobecommon_a_SOURCES = %D%/probe-main.c %D%/probe-watch.c %D%/proto.c \
	%D%/probe-functions.c %D%/probe-functions.h %D%/probe.h
grader_libprobecommon_a_CPPFLAGS = $(PROBE_CPPFLAGS)
grader_libprobecommon_a_CFLAGS = $(PROBE_CFLAGS)
grader/%-probe.$(OBJEXT): grader/%-probe.c
	$(AM_V_CC)$(CC) $(DEFS) $(PROBE_CPPFLAGS) -I$(srcdir) -I$(srcdir)/exercises/$* $(CPPFLAGS) \
	  $(PROBE_CFLAGS) $(CFLAGS) -MD -MP -MF $(@:.$(OBJEXT)=.d) -c -o $@ $<
grader/libnngrade-%.a: grader/%-probe.$(OBJEXT) grader/libprobecommon.a
	$(AM_V_AR)cp grader/libprobecommon.a $@-t && $(AR) $(ARFLAGS) $@-t grader/$*-probe.$(OBJEXT) \
	  && $(RANLIB) $@-t && mv $@-t $@
probelibdir = $(pkglibdir)
probelib_DATA = $(EXERCISE_PROBE_LIBS)

# Kept after a build, to be read.
.SECONDARY: $(EXERCISE_GENERATED) $(EXERCISE_PROBE_OBJECTS)

-include $(EXERCISE_REMOTE_OBJECTS:.$(OBJEXT)=.d) $(EXERCISE_PROBE_OBJECTS:.$(OBJEXT)=.d)

# nngrade run from the build tree uses the build tree's headers and probes.
NNGRADE_IN_TREE = \
	NNGRADE_REFERENCE_DIR='$(abs_top_srcdir)/lib' \
	NNGRADE_INCLUDE_DIR='$(abs_top_srcdir)/grader' \
	NNGRADE_LIB_INCLUDE_DIR='$(abs_top_srcdir)/lib' \
	NNGRADE_EXERCISES_DIR='$(abs_top_srcdir)/exercises' \
	NNGRADE_PROBE_DIR='$(abs_top_builddir)/grader'
