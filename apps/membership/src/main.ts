import { runService } from '@emporium/kit';
import { membershipService } from './app';

void runService(membershipService);
