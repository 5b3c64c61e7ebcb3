"""Archive dedup on Spark (see :mod:`wireingest.archive`): the session, the per-article facts
computed on the executors, connected components, and the job that joins them."""
