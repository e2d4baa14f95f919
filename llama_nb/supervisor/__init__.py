"""Supervision of llama-server: process, policy, diagnosis, cards, status. Knows nothing of Jupyter."""

from .cards import Action, Card, Fix, LlamaNBError, Step
from .diagnosis import Diagnosis, Kind
from .status import State, Status
from .pool import SupervisorPool
from .supervisor import Connection, Supervisor

__all__ = ["Action", "Card", "Connection", "Diagnosis", "Fix", "Kind", "LlamaNBError", "State", "Status", "Step", "Supervisor", "SupervisorPool"]
