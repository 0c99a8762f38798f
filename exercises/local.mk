## exercises/: one folder per lecture.
