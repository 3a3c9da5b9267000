import { runService } from '@emporium/kit';
import { analyticsService } from './app';

void runService(analyticsService);
