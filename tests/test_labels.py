import random

from force_posture.plot.labels import boxes_overlap, first_free, place_in_rows, text_width


def _check_layout(anchors, widths, plot_w, gap=10):
    boxes = place_in_rows(anchors, widths, plot_w, gap)
    for i, a in enumerate(boxes):
        assert 0 <= a.x0 and a.x1 <= plot_w + 1e-9
        assert a.x0 <= a.anchor <= a.x1
        for j, b in enumerate(boxes):
            if i == j:
                continue
            if a.row == b.row:  # no two labels in a row overlap
                assert a.x1 + gap <= b.x0 or b.x1 + gap <= a.x0, (a, b)
            if b.row > a.row and a.x0 < b.anchor < a.x1:
                # b's leader rises past a's row: it must never cut through a's text
                raise AssertionError(f"leader of {b} crosses {a}")
    return boxes


def test_separate_labels_share_the_first_row():
    boxes = _check_layout([0, 300, 600], [100, 100, 100], 1000)
    assert [b.row for b in boxes] == [0, 0, 0]
    assert [b.align for b in boxes] == ["left", "left", "left"]


def test_crowded_labels_stagger_and_a_label_sits_above_leaders_it_covers():
    boxes = _check_layout([100, 120, 140], [200, 200, 200], 1000)
    assert sorted(b.row for b in boxes) == [0, 1, 2]
    # the leftmost label covers the others' leaders, so it is the highest
    assert boxes[0].row == 2 and boxes[2].row == 0


def test_label_near_the_right_edge_is_right_aligned_inside_the_plot():
    (box,) = place_in_rows([990], [120], 1000)
    assert box.align == "right" and box.x1 == 990 and box.x0 == 870


def test_random_layouts_never_overlap():
    rng = random.Random(7)
    for _ in range(200):
        n = rng.randint(1, 15)
        anchors = [rng.uniform(0, 700) for _ in range(n)]
        widths = [rng.uniform(40, 900 - a) if a < 860 else 40 for a in anchors]
        _check_layout(anchors, widths, 900)


def test_a_layout_clear_at_one_width_stays_clear_when_wider():
    rng = random.Random(3)
    for _ in range(50):
        n = rng.randint(2, 12)
        fracs = [rng.uniform(0, 0.8) for _ in range(n)]
        widths = [rng.uniform(40, 200) for _ in range(n)]
        narrow = place_in_rows([f * 960 for f in fracs], widths, 960)
        for scale in (1.25, 2.0):
            # same rows and alignments, positions scaled: check no same-row overlap
            for a in narrow:
                for b in narrow:
                    if a is not b and a.row == b.row:
                        ax0, ax1 = (a.anchor * scale, a.anchor * scale + (a.x1 - a.x0))
                        bx0, bx1 = (b.anchor * scale, b.anchor * scale + (b.x1 - b.x0))
                        if a.align == "right":
                            ax0, ax1 = a.anchor * scale - (a.x1 - a.x0), a.anchor * scale
                        if b.align == "right":
                            bx0, bx1 = b.anchor * scale - (b.x1 - b.x0), b.anchor * scale
                        assert ax1 <= bx0 or bx1 <= ax0


def test_text_width_is_measured_from_the_font():
    w = text_width("Coalition Iraq mission deadline", 12)
    assert 150 < w < 200
    assert text_width("WWWW", 12) > text_width("iiii", 12) * 2
    assert text_width("Peak", 12, bold=True) > text_width("Peak", 12)


def test_first_free_skips_blocked_and_out_of_bounds_candidates():
    cands = [(0, 0, 10, 10), (-5, 0, 5, 10), (20, 0, 30, 10)]
    assert first_free(cands, [(5, 5, 15, 15)], (0, 0, 100, 100)) == 2
    assert first_free(cands, [], (0, 0, 100, 100)) == 0
    assert first_free(cands, [(0, 0, 100, 100)], (0, 0, 100, 100)) is None
    assert boxes_overlap((0, 0, 10, 10), (9, 9, 20, 20))
    assert not boxes_overlap((0, 0, 10, 10), (10, 0, 20, 10))
