import { runService } from '@emporium/kit';
import { catalogService } from './app';

void runService(catalogService);
