"""The records import (IMPORT.md): one episode per JSON line."""
