## lectures/: literate programs, one per lecture.
