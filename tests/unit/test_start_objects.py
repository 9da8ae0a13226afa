import gc

from dashboard.shell import freeze_start_objects


def test_what_the_start_built_is_out_of_a_full_collections_reach() -> None:
    start = [[n] for n in range(50_000)]  # lists: objects the collector tracks
    freeze_start_objects()
    try:
        assert gc.get_freeze_count() >= len(start)
        walked = {id(o) for o in gc.get_objects(generation=2)}
        assert not any(id(o) in walked for o in start[::1000])
        later = [[n] for n in range(10)]
        gc.collect()  # what came after the start is still walked, and kept while it is used
        assert any(id(o) == id(later[0]) for o in gc.get_objects(generation=2))
    finally:
        gc.unfreeze()
