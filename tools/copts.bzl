"""The compiler options every C++ target of metaport carries itself.

The headers need C++20. Setting it on each target (rather than in a
.bazelrc) lets a workspace that depends on @metaport build it, and the
targets metaport_schema() makes, with no .bazelrc of its own.
"""

METAPORT_COPTS = ["-std=c++20"]
